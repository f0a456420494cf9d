// incontro: the jobseeker's CV editor. The page works without this script;
// with it, the end date of a job still held is set aside while "I still
// work there" is ticked, and leaving the page with changes not saved asks
// first.
(function () {
  "use strict";
  document.querySelectorAll("input[data-ends]").forEach(function (box) {
    var end = document.getElementById(box.getAttribute("data-ends"));
    if (!end) return;
    function sync() {
      end.disabled = box.checked;
      if (box.checked) end.value = "";
    }
    box.addEventListener("change", sync);
    sync();
  });
  var form = document.querySelector("form.jcv-form");
  if (!form) return;
  var changed = document.querySelector(".jcv-unsaved") !== null;
  form.addEventListener("input", function () { changed = true; });
  form.addEventListener("submit", function () { changed = false; });
  window.addEventListener("beforeunload", function (ev) {
    if (changed) {
      ev.preventDefault();
      ev.returnValue = "";
    }
  });
})();
