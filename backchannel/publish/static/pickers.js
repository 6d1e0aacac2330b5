// Canned queries: a parameter named official, organization or person offers the corpus's names
// (the datalist the page carries), so a reporter picks instead of typing them exactly.
(function () {
  document.querySelectorAll("form input[type=text]").forEach(function (input) {
    if (document.getElementById("choices-" + input.name)) {
      input.setAttribute("list", "choices-" + input.name);
      input.setAttribute("autocomplete", "off");
    }
  });
})();
