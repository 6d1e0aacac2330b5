// The list of the messages a count counts (/-/messages/<db>?counted=…), for the network and the
// charts: one place builds it, as backchannel/links.py does on the server.
window.backchannelList = function (base, counted, options) {
  options = options || {};
  var url = base + "?counted=" + encodeURIComponent(counted);
  if (options.month) url += "&month=" + encodeURIComponent(options.month);
  if (options.direction) url += "&direction=" + encodeURIComponent(options.direction);
  return url;
};
