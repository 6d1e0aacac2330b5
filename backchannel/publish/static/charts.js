// Charts of messages per month: Chart.js (vendored), from the plugin's JSON.
(function () {
  var root = document.getElementById("charts");
  var status = document.getElementById("charts-status");
  if (!root) return;
  var palette = ["#1b6ca8", "#d1495b", "#2e933c", "#edae49", "#6a4c93", "#00798c", "#8c564b", "#555555"];
  function chart(title, labels, datasets) {
    var box = document.createElement("div");
    box.className = "chart-box";
    var h = document.createElement("h2");
    h.textContent = title;
    var canvas = document.createElement("canvas");
    box.appendChild(h);
    box.appendChild(canvas);
    root.appendChild(box);
    return new Chart(canvas, {
      type: "line",
      data: { labels: labels, datasets: datasets },
      options: { animation: false, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }
    });
  }
  var colors = {};
  function colorOf(official) {  // one colour per office across every chart
    if (!(official in colors)) colors[official] = palette[Object.keys(colors).length % palette.length];
    return colors[official];
  }
  fetch(root.dataset.url, { credentials: "same-origin" })
    .then(function (r) { return r.json(); })
    .then(function (data) {
      var drawn = [];
      Object.keys(data.organizations).forEach(function (org) {
        var offices = data.organizations[org];
        var datasets = Object.keys(offices).map(function (official) {
          return { label: official, borderColor: colorOf(official), backgroundColor: colorOf(official),
            data: data.months.map(function (m) { return offices[official][m] || 0; }) };
        });
        drawn.push(chart(org + " with each office", data.months, datasets));
      });
      var byOffice = {};
      var months = {};
      data.offices.forEach(function (r) {
        months[r.month] = true;
        byOffice[r.official] = byOffice[r.official] || { sent: {}, received: {} };
        byOffice[r.official][r.direction][r.month] = r.n;
      });
      var allMonths = Object.keys(months).sort();
      var datasets = [];
      Object.keys(byOffice).forEach(function (official) {
        var color = colorOf(official);
        datasets.push({ label: official + " sent", borderColor: color, backgroundColor: color,
          data: allMonths.map(function (m) { return byOffice[official].sent[m] || 0; }) });
        datasets.push({ label: official + " received", borderColor: color, backgroundColor: color, borderDash: [5, 4],
          data: allMonths.map(function (m) { return byOffice[official].received[m] || 0; }) });
      });
      if (datasets.length) drawn.push(chart("Each office's mail with anyone outside it", allMonths, datasets));
      window.backchannelCharts = drawn;  // for the browser tests
      root.dataset.charts = String(drawn.length);
      status.textContent = drawn.length ? "" : "Nothing to chart: run backchannel analyze with a roster.";
    })
    .catch(function (err) { status.textContent = "Could not draw the charts: " + err; });
})();
