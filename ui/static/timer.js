// incontro: the running timer's elapsed minutes, kept current while the
// time page is open. The page shows them without this script too.
(function () {
  "use strict";
  document.querySelectorAll("[data-timer-start]").forEach(function (el) {
    var start = parseInt(el.getAttribute("data-timer-start"), 10) * 1000;
    var label = el.getAttribute("data-minutes-label") || "min";
    if (!start) return;
    function tick() {
      var minutes = Math.max(0, Math.floor((Date.now() - start) / 60000));
      el.textContent = minutes + " " + label;
    }
    tick();
    setInterval(tick, 15000);
  });
})();
