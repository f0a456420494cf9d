// incontro: the employer's pages. They work without this script; with it,
// the vacancy form checks the ad's wording while the employer writes (the
// same check the server runs when the vacancy is sent, through
// POST /api/v1/vacancies/check), and each feedback form shows only the
// fields of the answer chosen.
(function () {
  "use strict";

  // --- The live wording check ---
  var form = document.getElementById("vacancy-form");
  var box = document.getElementById("wording-results");
  var textEl = document.getElementById("emp-wording-text");
  if (form && box && textEl && window.fetch && window.JSON) {
    var text = JSON.parse(textEl.textContent);
    var title = form.querySelector("#title");
    var desc = form.querySelector("#description");
    var contract = form.querySelector("#contract_type");
    var csrf = form.querySelector('input[name="csrf_token"]');
    var timer = null;
    var seq = 0;
    var last = null;

    var el = function (tag, cls, content) {
      var e = document.createElement(tag);
      if (cls) e.className = cls;
      if (content) e.textContent = content;
      return e;
    };
    var show = function (nodes) {
      while (box.firstChild) box.removeChild(box.firstChild);
      nodes.forEach(function (n) { box.appendChild(n); });
    };
    var render = function (findings) {
      if (!findings.length) {
        show([el("p", "emp-wording-ok", text.ok)]);
        return;
      }
      var list = el("ul", "list-unstyled emp-findings");
      findings.forEach(function (f) {
        var li = el("li", "alert alert-warning emp-finding");
        var head = el("p", "mb-1");
        head.appendChild(el("strong", "", text.grounds[f.ground] || f.ground));
        head.appendChild(document.createTextNode(": «"));
        head.appendChild(el("mark", "", f.excerpt));
        head.appendChild(document.createTextNode("»"));
        li.appendChild(head);
        var why = el("p", "mb-1", f.explanation);
        why.lang = "it";
        li.appendChild(why);
        li.appendChild(el("p", "small mb-0", text.law + ": " + f.law));
        list.appendChild(li);
      });
      show([el("p", "fw-semibold emp-wording-found", text.found), list, el("p", "small emp-wording-rewrite", text.rewrite)]);
    };
    var check = function () {
      var body = { title: title.value, description: desc.value, contract_type: contract ? contract.value : "" };
      if (!body.title.trim() && !body.description.trim()) {
        show([el("p", "text-muted emp-wording-idle", text.idle)]);
        last = null;
        return;
      }
      var key = JSON.stringify(body);
      if (key === last) return;
      last = key;
      var n = ++seq;
      box.setAttribute("aria-busy", "true");
      fetch(box.getAttribute("data-check"), {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRF-Token": csrf ? csrf.value : "" },
        body: key
      }).then(function (res) {
        if (!res.ok) throw new Error("status " + res.status);
        return res.json();
      }).then(function (res) {
        if (n === seq) render(res.findings || []);
      }).catch(function () {
        if (n === seq) {
          last = null;
          show([el("p", "text-danger emp-wording-error", text.error)]);
        }
      }).then(function () {
        if (n === seq) box.removeAttribute("aria-busy");
      });
    };
    var later = function () {
      clearTimeout(timer);
      timer = setTimeout(check, 500);
    };
    if (title && desc) {
      title.addEventListener("input", later);
      desc.addEventListener("input", later);
      if (contract) contract.addEventListener("change", later);
      // A page the server already checked shows its findings; otherwise a
      // text typed before (a draft, a form that came back) is checked now.
      if (!box.hasAttribute("data-server") && (title.value.trim() || desc.value.trim())) check();
    }
  }

  // --- The feedback forms: the fields of the answer chosen ---
  document.querySelectorAll("form.emp-feedback-form").forEach(function (f) {
    var groups = f.querySelectorAll(".emp-fb-more[data-for]");
    var hint = f.querySelector(".emp-fb-hint");
    var sync = function () {
      var chosen = f.querySelector('input[name="decision"]:checked');
      var value = chosen ? chosen.value : "";
      groups.forEach(function (g) {
        // A field with an error stays in sight.
        g.hidden = g.getAttribute("data-for") !== value && !g.querySelector(".is-invalid, [aria-invalid]");
      });
      if (hint) hint.hidden = true;
    };
    f.addEventListener("change", sync);
    sync();
  });
})();
