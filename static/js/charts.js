// Plotly charts: each [data-figure] element draws the figure JSON named by its attribute.
// Clicking a bubble opens its account; the strength axis direction is remembered.
"use strict";
(function () {
  const FLIP_KEY = "kaism.strengthHighOnRight";

  function strengthRange(figure) {
    const range = figure.layout.xaxis && figure.layout.xaxis.range;
    if (!range || !document.querySelector("[data-flip-strength]")) return;
    const highOnRight = localStorage.getItem(FLIP_KEY) === "1";
    const [low, high] = [Math.min(...range), Math.max(...range)];
    figure.layout.xaxis.range = highOnRight ? [low, high] : [high, low];
  }

  function draw(root) {
    if (!window.Plotly) return;
    root.querySelectorAll("[data-figure]").forEach((element) => {
      const source = document.getElementById(element.dataset.figure);
      if (!source) return;
      const figure = JSON.parse(source.textContent);
      if (element.classList.contains("matrix")) strengthRange(figure);
      window.Plotly.react(element, figure.data, figure.layout, { responsive: true, displaylogo: false });
      element.dataset.drawn = "1";
      if (element.hasAttribute("data-clickable") && !element.dataset.clickBound) {
        element.dataset.clickBound = "1";
        element.on("plotly_click", (data) => {
          const url = data.points[0] && data.points[0].customdata;
          if (url) window.location.href = url;
        });
      }
    });
  }

  document.addEventListener("DOMContentLoaded", () => draw(document));
  document.addEventListener("htmx:afterSettle", (event) => draw(event.detail.elt.parentElement || document));
  document.addEventListener("click", (event) => {
    if (!event.target.closest("[data-flip-strength]")) return;
    const highOnRight = localStorage.getItem(FLIP_KEY) === "1";
    localStorage.setItem(FLIP_KEY, highOnRight ? "0" : "1");
    draw(document);
  });
})();
