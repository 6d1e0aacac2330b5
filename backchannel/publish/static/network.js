// The network view: Cytoscape.js (vendored) draws the graph the plugin's JSON describes.
(function () {
  var box = document.getElementById("network");
  var status = document.getElementById("network-status");
  if (!box) return;
  var palette = ["#1b6ca8", "#d1495b", "#2e933c", "#edae49", "#6a4c93", "#00798c", "#8c564b", "#555555"];
  fetch(box.dataset.url, { credentials: "same-origin" })
    .then(function (r) { return r.json(); })
    .then(function (data) {
      var most = Math.max.apply(null, data.edges.map(function (e) { return e.messages; }).concat([1]));
      var elements = data.nodes.map(function (n) {
        return { data: { id: n.id, label: n.label, kind: n.kind, sent: n.sent || 0, received: n.received || 0,
          color: palette[((n.community || 1) - 1) % palette.length] } };
      }).concat(data.edges.map(function (e, i) {
        return { data: { id: "e" + i, source: e.source, target: e.target, messages: e.messages, url: e.url,
          width: 1 + 9 * e.messages / most } };
      }));
      var cy = cytoscape({
        container: box,
        elements: elements,
        // A few nodes read best on a circle (and the same every time); many need a force layout.
        layout: data.nodes.length <= 40
          ? { name: "circle", padding: 40, avoidOverlap: true }
          : { name: "cose", animate: false, randomize: true, nodeRepulsion: 400000,
              idealEdgeLength: 140, nodeOverlap: 40, padding: 40 },
        maxZoom: 1.6,  // a few nodes: do not blow the labels up
        minZoom: 0.05,
        style: [
          { selector: "node", style: { "label": "data(label)", "background-color": "data(color)", "font-size": 12, "text-valign": "bottom", "text-margin-y": 4,
            "width": "mapData(sent, 0, 100, 14, 40)", "height": "mapData(sent, 0, 100, 14, 40)" } },
          { selector: "node[kind = 'organization']", style: { "shape": "round-rectangle" } },
          { selector: "edge", style: { "width": "data(width)", "curve-style": "bezier", "target-arrow-shape": "triangle",
            "line-color": "#aaa", "target-arrow-color": "#aaa", "opacity": 0.8 } }
        ]
      });
      cy.on("tap", "edge", function (evt) {
        var url = evt.target.data("url");
        if (url) window.location.href = url;
      });
      window.backchannelNetwork = cy;  // for the browser tests
      box.dataset.nodes = String(cy.nodes().length);
      box.dataset.edges = String(cy.edges().length);
      status.textContent = cy.nodes().length + " nodes, " + cy.edges().length + " edges.";
    })
    .catch(function (err) { status.textContent = "Could not draw the network: " + err; });
})();
