// The Pareto page's chart: the figure (data and layout) comes from a json_script element.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const source = document.getElementById("pareto-figure");
  const target = document.getElementById("pareto-chart");
  if (!source || !target || typeof Plotly === "undefined") {
    return;
  }
  const figure = JSON.parse(source.textContent);
  Plotly.newPlot(target, figure.data, figure.layout, { responsive: true, displaylogo: false });
});
