// incontro: a little progressive JavaScript. Every page works without it;
// with it, secrets get a copy button and destructive forms ask first.
(function () {
  "use strict";
  document.querySelectorAll("button[data-copy]").forEach(function (btn) {
    var field = document.querySelector(btn.getAttribute("data-copy"));
    if (!field || !navigator.clipboard) return;
    btn.hidden = false;
    var label = btn.textContent;
    btn.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value).then(function () {
        btn.textContent = btn.getAttribute("data-copied") || label;
        setTimeout(function () { btn.textContent = label; }, 2000);
      });
    });
  });
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (ev) {
      if (!window.confirm(form.getAttribute("data-confirm"))) ev.preventDefault();
    });
  });
  // A form that came back with errors: move the focus to the error summary,
  // so that screen readers announce it and the keyboard starts there.
  var summary = document.querySelector(".error-summary");
  if (summary) summary.focus();
})();
