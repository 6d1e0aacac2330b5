// Table pages: when the project's stylesheet hides a table's internal columns, a button above
// the table shows them all (and hides them again). The columns stay in JSON and CSV exports.
// The list of what each column means, long on a wide table, is folded under one line.
// (Loaded in the page's head: it waits for the table.)
document.addEventListener("DOMContentLoaded", function () {
  var descriptions = document.querySelector("dl.column-descriptions");
  if (descriptions) {
    var fold = document.createElement("details");
    fold.className = "column-descriptions";
    var summary = document.createElement("summary");
    summary.textContent = "What each column means (" + descriptions.querySelectorAll("dt").length + ")";
    fold.appendChild(summary);
    descriptions.parentNode.insertBefore(fold, descriptions);
    fold.appendChild(descriptions);
  }
  var table = document.querySelector("table.rows-and-columns");
  if (!table) return;
  var headers = Array.from(table.querySelectorAll("thead th"));
  var hidden = headers.filter(function (th) { return getComputedStyle(th).display === "none"; });
  if (!hidden.length) return;
  var button = document.createElement("button");
  button.type = "button";
  button.className = "backchannel-columns";
  function label() {
    var all = document.body.classList.contains("all-columns");
    button.textContent = all ? "Show the usual columns" : "Show all columns (" + hidden.length + " more: " +
      hidden.map(function (th) { return th.dataset.column; }).join(", ") + ")";
  }
  button.addEventListener("click", function () {
    document.body.classList.toggle("all-columns");
    label();
  });
  label();
  var wrapper = table.closest(".table-wrapper") || table;
  wrapper.parentNode.insertBefore(button, wrapper);
});
