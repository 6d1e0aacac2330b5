// The network view: Cytoscape.js (vendored) draws the graph the plugin's JSON describes.
// Organizations stand left and offices right (the groups view); colours are communities,
// shapes are kinds (the legend says which); edge width is messages, shown on hover (and as
// labels where few); a slider hides edges under a number of messages; clicking a node lists
// its mail and its correspondents, each a link to the messages.
(function () {
  var box = document.getElementById("network");
  var status = document.getElementById("network-status");
  var info = document.getElementById("network-info");
  var legend = document.getElementById("network-legend");
  var slider = document.getElementById("network-min");
  var sliderValue = document.getElementById("network-min-value");
  if (!box) return;
  var palette = ["#1b6ca8", "#d1495b", "#2e933c", "#edae49", "#6a4c93", "#00798c", "#8c564b", "#555555"];
  var shapes = { office: "ellipse", organization: "round-rectangle", official: "diamond",
    staff: "ellipse", member: "round-rectangle", other: "ellipse" };
  var kindNames = { office: "an official's office", organization: "a watched organization",
    official: "official", staff: "official's staff", member: "organization member", other: "anyone else" };
  var level = box.dataset.level;

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }
  function link(href, text) { var a = el("a", text); a.href = href; return a; }
  function colorOf(community) { return palette[((community || 1) - 1) % palette.length]; }

  // Organizations in one column, offices in the other, busiest at the top: who talks across
  // the divide reads at a glance, the same every time.
  function columns(nodes) {
    var rows = { organization: 0, office: 0 };
    var sorted = nodes.slice().sort(function (a, b) {
      return (b.sent + b.received) - (a.sent + a.received) || a.label.localeCompare(b.label);
    });
    var at = {};
    sorted.forEach(function (n) {
      var side = n.kind === "organization" ? "organization" : "office";
      // Every other row a step aside, so that edges between offices do not lie on each other.
      var row = rows[side]++;
      at[n.id] = { x: (side === "organization" ? 0 : 560) + (row % 2) * 110, y: 90 * row };
    });
    return at;
  }

  function drawLegend(data) {
    legend.textContent = "";
    var communities = {};
    data.nodes.forEach(function (n) { communities[n.community || 1] = (communities[n.community || 1] || 0) + 1; });
    var kinds = {};
    data.nodes.forEach(function (n) { kinds[n.kind] = true; });
    var k = el("p", "Shapes: ");
    Object.keys(kinds).forEach(function (kind) {
      var s = el("span", "", "legend-shape shape-" + shapes[kind]);
      k.appendChild(s);
      k.appendChild(document.createTextNode(" " + (kindNames[kind] || kind) + "  "));
    });
    legend.appendChild(k);
    var c = el("p", "Colours, communities (Louvain: groups that write mostly among themselves): ");
    Object.keys(communities).sort(function (a, b) { return a - b; }).forEach(function (n) {
      var s = el("span", "", "legend-swatch");
      s.style.background = colorOf(Number(n));
      c.appendChild(s);
      c.appendChild(document.createTextNode(" " + n + " (" + communities[n] + ")  "));
    });
    legend.appendChild(c);
  }

  function showNode(cy, node) {
    info.textContent = "";
    var d = node.data();
    info.appendChild(el("h2", d.label));
    info.appendChild(el("p", (kindNames[d.kind] || d.kind) + (d.organization ? ", " + d.organization : "") +
      (d.roster_group && d.roster_group !== d.label ? ", office of " + d.roster_group : ""), "muted"));
    var p = el("p");
    p.appendChild(link(d.url, "All its mail"));
    p.appendChild(document.createTextNode(": " + d.sent + " sent, " + d.received + " received."));
    info.appendChild(p);
    var rows = [];
    node.connectedEdges().forEach(function (e) {
      var out = e.source().id() === node.id();
      rows.push({ other: out ? e.target().data("label") : e.source().data("label"),
        way: out ? "to" : "from", messages: e.data("messages"), url: e.data("url") });
    });
    rows.sort(function (a, b) { return b.messages - a.messages || a.other.localeCompare(b.other); });
    info.appendChild(el("h3", "Correspondents (" + rows.length + " edges)"));
    var table = el("table", undefined, "rows correspondents");
    rows.forEach(function (r) {
      var tr = el("tr");
      tr.appendChild(el("td", r.way));
      tr.appendChild(el("td", r.other));
      var td = el("td", undefined, "num");
      td.appendChild(link(r.url, String(r.messages)));
      tr.appendChild(td);
      table.appendChild(tr);
    });
    info.appendChild(table);
  }

  fetch(box.dataset.url, { credentials: "same-origin" })
    .then(function (r) { return r.json(); })
    .then(function (data) {
      function listUrl(counted, direction) {  // the messages a count counts
        return window.backchannelList(data.messages_url, counted, { direction: direction });
      }
      var most = Math.max.apply(null, data.edges.map(function (e) { return e.messages; }).concat([1]));
      var mostMail = Math.max.apply(null, data.nodes.map(function (n) { return (n.sent || 0) + (n.received || 0); }).concat([1]));
      var elements = data.nodes.map(function (n) {
        return { data: { id: n.id, label: n.label, kind: n.kind, organization: n.organization,
          roster_group: n.roster_group, sent: n.sent || 0, received: n.received || 0, url: listUrl(n.id),
          size: 16 + 34 * Math.sqrt(((n.sent || 0) + (n.received || 0)) / mostMail),
          shape: shapes[n.kind] || "ellipse", color: colorOf(n.community) } };
      }).concat(data.edges.map(function (e, i) {
        return { data: { id: "e" + i, source: e.source, target: e.target, messages: e.messages, url: listUrl(e.counted, e.direction),
          width: 1 + 9 * e.messages / most } };
      }));
      var few = data.nodes.length <= 40;
      var layout = level === "groups"
        ? { name: "preset", positions: columns(data.nodes), padding: 50 }
        : { name: "cose", animate: false, randomize: false, nodeRepulsion: 400000,
            idealEdgeLength: 140, nodeOverlap: 40, padding: 40 };
      var cy = cytoscape({
        container: box,
        elements: elements,
        layout: layout,
        maxZoom: 1.6,  // a few nodes: do not blow the labels up
        minZoom: 0.05,
        style: [
          { selector: "node", style: { "label": "data(label)", "background-color": "data(color)", "font-size": 12,
            "text-valign": "bottom", "text-margin-y": 4, "shape": "data(shape)",
            "width": "data(size)", "height": "data(size)" } },
          { selector: "edge", style: { "width": "data(width)", "curve-style": "bezier", "target-arrow-shape": "triangle",
            "line-color": "#aaa", "target-arrow-color": "#aaa", "opacity": 0.8,
            "label": few ? "data(messages)" : "", "font-size": 10, "text-background-color": "#fff",
            "text-background-opacity": 0.8, "text-background-padding": 1 } },
          { selector: "edge.hover", style: { "line-color": "#333", "target-arrow-color": "#333", "opacity": 1 } },
          { selector: "node:selected", style: { "border-width": 3, "border-color": "#111" } },
          { selector: ".faded", style: { "display": "none" } }
        ]
      });
      cy.on("tap", "edge", function (evt) {
        var url = evt.target.data("url");
        if (url) window.location.href = url;
      });
      cy.on("tap", "node", function (evt) { showNode(cy, evt.target); });
      cy.on("mouseover", "edge", function (evt) {
        var e = evt.target;
        e.addClass("hover");
        status.textContent = e.source().data("label") + " → " + e.target().data("label") + ": " +
          e.data("messages") + " messages (click to open them)";
      });
      cy.on("mouseout", "edge", function (evt) { evt.target.removeClass("hover"); });

      function filter() {
        var min = Number(slider.value);
        sliderValue.textContent = String(min);
        cy.batch(function () {
          cy.edges().forEach(function (e) { e.toggleClass("faded", e.data("messages") < min); });
          cy.nodes().forEach(function (n) {
            var shown = n.connectedEdges().filter(function (e) { return !e.hasClass("faded"); }).length;
            n.toggleClass("faded", min > 1 && shown === 0);
          });
        });
        var edges = cy.edges().filter(function (e) { return !e.hasClass("faded"); }).length;
        var nodes = cy.nodes().filter(function (n) { return !n.hasClass("faded"); }).length;
        box.dataset.visibleEdges = String(edges);
        box.dataset.visibleNodes = String(nodes);
        status.textContent = nodes + " nodes, " + edges + " edges" + (min > 1 ? " with " + min + " messages or more" : "") +
          (data.edges_total > data.edges.length ? " (the busiest " + data.edges.length + " of " + data.edges_total + " edges drawn)" : "") +
          ". Hover an edge for its messages; click a node for its correspondents.";
      }
      slider.max = String(most);
      slider.value = slider.value && Number(slider.value) <= most ? slider.value : "1";
      slider.addEventListener("input", filter);
      drawLegend(data);
      filter();
      window.backchannelNetwork = cy;  // for the browser tests
      box.dataset.nodes = String(cy.nodes().length);
      box.dataset.edges = String(cy.edges().length);
    })
    .catch(function (err) { status.textContent = "Could not draw the network: " + err; });
})();
