// Filtering and expanding for report.html. Reads data-* attributes and toggles `hidden`/`open`
// only: evidence text is never read or written here (it is escaped and highlighted server-side).
(function () {
  "use strict";

  function scenarios() {
    return Array.prototype.slice.call(document.querySelectorAll("tbody.scenario"));
  }

  function applyFilter() {
    var wanted = {};
    document.querySelectorAll("input.verdict-filter").forEach(function (box) {
      wanted[box.value] = box.checked;
    });
    var area = document.getElementById("area-filter").value;
    var shown = 0;
    scenarios().forEach(function (body) {
      var visible = wanted[body.dataset.verdict] !== false && (area === "" || body.dataset.area === area);
      body.hidden = !visible;
      if (visible) {
        shown += 1;
      }
    });
    document.getElementById("shown-count").textContent = String(shown);
  }

  function resetFilter() {
    document.querySelectorAll("input.verdict-filter").forEach(function (box) {
      box.checked = true;
    });
    document.getElementById("area-filter").value = "";
    applyFilter();
  }

  function setEvidence(open) {
    document.querySelectorAll("tbody.scenario:not([hidden]) details.evidence").forEach(function (d) {
      d.open = open;
    });
  }

  // report.html#SP-X-01 opens that scenario's evidence; #SP-X-01.x2 opens the evidence holding exchange x2.
  function openTarget() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var target = id ? document.getElementById(id) : null;
    if (!target) {
      return;
    }
    var scenario = target.closest("tbody.scenario");
    if (scenario && scenario.hidden) {
      resetFilter();
    }
    if (target.matches("tbody.scenario")) {
      var evidence = target.querySelector("details.evidence");
      if (evidence) {
        evidence.open = true;
      }
    }
    for (var node = target; node; node = node.parentElement) {
      if (node.tagName === "DETAILS") {
        node.open = true;
      }
    }
    target.scrollIntoView();
  }

  document.getElementById("filters").hidden = false;
  document.querySelectorAll("input.verdict-filter, #area-filter").forEach(function (control) {
    control.addEventListener("change", applyFilter);
  });
  document.getElementById("reset-filter").addEventListener("click", resetFilter);
  document.getElementById("expand-all").addEventListener("click", function () { setEvidence(true); });
  document.getElementById("collapse-all").addEventListener("click", function () { setEvidence(false); });
  window.addEventListener("hashchange", openTarget);
  applyFilter();
  openTarget();
})();
