// incontro: the operator's workbench. The pages work without this script;
// with it, the close form offers only the reasons that go with the chosen
// outcome.
(function () {
  "use strict";
  document.querySelectorAll("select[data-by-outcome]").forEach(function (reasons) {
    var outcome = document.querySelector(reasons.getAttribute("data-by-outcome"));
    if (!outcome) return;
    function narrow() {
      var chosen = outcome.value;
      Array.prototype.forEach.call(reasons.options, function (opt) {
        if (!opt.value) return;
        var fits = !chosen || (" " + opt.getAttribute("data-outcomes") + " ").indexOf(" " + chosen + " ") >= 0;
        opt.hidden = !fits;
        opt.disabled = !fits;
        if (!fits && opt.selected) reasons.value = "";
      });
    }
    outcome.addEventListener("change", narrow);
    narrow();
  });
})();
