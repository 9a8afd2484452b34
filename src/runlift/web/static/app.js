// runlift pages: charts from embedded JSON, live filters, small conveniences. No inline script
// (the Content-Security-Policy forbids it), no external code: Plotly is served from the package.
(function () {
  "use strict";

  function drawPlots() {
    var plots = document.querySelectorAll("[data-figure]");
    if (!plots.length || typeof window.Plotly === "undefined") return;
    plots.forEach(function (el) {
      var source = document.getElementById(el.getAttribute("data-figure"));
      if (!source) return;
      var figure = JSON.parse(source.textContent);
      var config = { responsive: true, displaylogo: false, modeBarButtonsToRemove: ["lasso2d", "select2d"] };
      window.Plotly.newPlot(el, figure.data, figure.layout || {}, config);
    });
  }

  function filterRows() {
    var box = document.querySelector("[data-filter-table]");
    if (!box) return;
    var table = document.getElementById(box.getAttribute("data-filter-table"));
    var level = document.querySelector("[data-filter-level]");
    function apply() {
      var text = (box.value || "").trim().toLowerCase();
      var wanted = level ? level.value : "";
      var shown = 0;
      table.querySelectorAll("tbody tr").forEach(function (row) {
        var okText = !text || row.textContent.toLowerCase().indexOf(text) >= 0;
        var okLevel = !wanted || row.getAttribute("data-level") === wanted;
        row.hidden = !(okText && okLevel);
        if (!row.hidden) shown += 1;
      });
      var count = document.querySelector("[data-filter-count]");
      if (count) count.textContent = String(shown);
    }
    box.addEventListener("input", apply);
    if (level) level.addEventListener("change", apply);
    apply();
  }

  function confirmForms() {
    document.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.getAttribute("data-confirm"))) event.preventDefault();
      });
    });
  }

  function backLinks() {
    document.querySelectorAll("[data-back]").forEach(function (link) {
      link.addEventListener("click", function (event) {
        if (window.history.length > 1) { event.preventDefault(); window.history.back(); }
      });
    });
  }

  function copyButtons() {
    document.querySelectorAll("[data-copy]").forEach(function (button) {
      button.addEventListener("click", function () {
        var target = document.getElementById(button.getAttribute("data-copy"));
        if (target && navigator.clipboard) navigator.clipboard.writeText(target.textContent.trim());
        button.textContent = "Copied";
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    drawPlots(); filterRows(); confirmForms(); backLinks(); copyButtons();
  });
})();
