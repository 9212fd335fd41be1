// Filters the partners directory in the browser. Without this script the
// filters stay hidden and every partner is listed.
(function () {
  "use strict";
  var form = document.getElementById("filters");
  var list = document.getElementById("directory");
  if (!form || !list) return;
  var cards = Array.prototype.slice.call(list.querySelectorAll("[data-partner]"));
  var selects = Array.prototype.slice.call(form.querySelectorAll("select"));
  var count = document.getElementById("filter-count");
  var empty = document.getElementById("filter-empty");

  function matches(card) {
    return selects.every(function (select) {
      if (select.value === "") return true;
      var values = (card.getAttribute("data-" + select.name) || "").split(" ");
      return values.indexOf(select.value) >= 0;
    });
  }

  function apply() {
    var shown = 0;
    cards.forEach(function (card) {
      var ok = matches(card);
      card.hidden = !ok;
      if (ok) shown++;
    });
    var words = cards.length === 1 ? " partner" : " partners";
    count.textContent = shown === cards.length ? cards.length + words : shown + " of " + cards.length + words;
    empty.hidden = shown > 0;
  }

  form.addEventListener("change", apply);
  // Clearing sets every select back to "any" at once, then filters.
  form.addEventListener("reset", function (event) {
    event.preventDefault();
    selects.forEach(function (select) { select.value = ""; });
    apply();
  });
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  count.setAttribute("aria-live", "polite");
  form.hidden = false;
  apply();
})();
