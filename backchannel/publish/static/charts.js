// Charts of messages per month: Chart.js (vendored), from the plugin's JSON. Small multiples:
// one stacked bar chart per watched organization (its messages with each office, the offices
// stacked), then one per office (sent and received with anyone outside it). Axes are titled;
// a bar opens that month's messages.
(function () {
  var root = document.getElementById("charts");
  var status = document.getElementById("charts-status");
  if (!root) return;
  var palette = ["#1b6ca8", "#d1495b", "#2e933c", "#edae49", "#6a4c93", "#00798c", "#8c564b",
    "#555555", "#17becf", "#bcbd22", "#e377c2", "#7f7f7f", "#9467bd", "#ff9896"];
  var colors = {};
  function colorOf(official) {  // one colour per office across every chart
    if (!(official in colors)) colors[official] = palette[Object.keys(colors).length % palette.length];
    return colors[official];
  }
  function chart(parent, title, months, datasets, urlOf, zone) {
    var box = document.createElement("div");
    box.className = "chart-box";
    var h = document.createElement(parent === root ? "h2" : "h3");
    h.textContent = title;
    var canvas = document.createElement("canvas");
    box.appendChild(h);
    box.appendChild(canvas);
    parent.appendChild(box);
    var made = new Chart(canvas, {
      type: "bar",
      data: { labels: months, datasets: datasets },
      options: {
        animation: false,
        scales: {
          x: { stacked: true, title: { display: true, text: "month (" + zone + ")" } },
          y: { stacked: true, beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: "messages" } }
        },
        plugins: { legend: { position: "bottom" },
          tooltip: { callbacks: { footer: function () { return "click to open these messages"; } } } },
        onHover: function (evt, active) { canvas.style.cursor = active.length ? "pointer" : "default"; },
        onClick: function (evt, active) {
          if (!active.length) return;
          var url = urlOf(active[0].datasetIndex, months[active[0].index]);
          if (url) window.location.href = url;
        }
      }
    });
    made.backchannelUrl = urlOf;  // for the browser tests
    return made;
  }
  fetch(root.dataset.url, { credentials: "same-origin" })
    .then(function (r) { return r.json(); })
    .then(function (data) {
      var drawn = [];
      var months = data.months;
      function url(counted, month, direction) {
        return window.backchannelList(data.messages_url, counted, { month: month, direction: direction });
      }
      Object.keys(data.organizations).forEach(function (org) {
        var offices = data.organizations[org];
        var names = Object.keys(offices).sort(function (a, b) {  // busiest office at the bottom
          var sa = 0, sb = 0, m;
          for (m in offices[a].months) sa += offices[a].months[m];
          for (m in offices[b].months) sb += offices[b].months[m];
          return sb - sa || a.localeCompare(b);
        });
        var datasets = names.map(function (official) {
          return { label: official, backgroundColor: colorOf(official),
            data: months.map(function (m) { return offices[official].months[m] || 0; }) };
        });
        drawn.push(chart(root, org + " with each official's office", months, datasets, function (i, month) {
          return url(offices[names[i]].id, month);
        }, data.zone));
      });
      var officeNames = Object.keys(data.offices).sort();
      if (officeNames.length) {
        var h = document.createElement("h2");
        h.textContent = "Each office's mail with anyone outside it";
        root.appendChild(h);
        var grid = document.createElement("div");
        grid.className = "small-multiples";
        root.appendChild(grid);
        officeNames.forEach(function (official) {
          var o = data.offices[official];
          var ways = ["sent", "received"];
          var datasets = ways.map(function (way, i) {
            return { label: way, backgroundColor: i ? "#ff7f0e" : "#1f77b4",
              data: months.map(function (m) { return o[way][m] || 0; }) };
          });
          drawn.push(chart(grid, "Office of " + official, months, datasets, function (i, month) {
            return url(o.id, month, ways[i]);
          }, data.zone));
        });
      }
      window.backchannelCharts = drawn;  // for the browser tests
      root.dataset.charts = String(drawn.length);
      status.textContent = drawn.length ? "" : "Nothing to chart: run backchannel analyze with a roster.";
    })
    .catch(function (err) { status.textContent = "Could not draw the charts: " + err; });
})();
