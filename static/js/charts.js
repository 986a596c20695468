// The one chart path: every [data-figure] element draws the plotly figure held by the
// json_script element its attribute names. Drawn on load and again for content htmx
// swaps in. Clicking a bubble of a [data-clickable] chart opens its account; the strength
// axis direction chosen with [data-flip-strength] is remembered. plotly's bundle is a
// classic script loaded before this module (it defines the library global Plotly), with
// plotly's locale file for the page language; #chart-config names that locale and gives
// plotly's interface text in it.
const FLIP_KEY = "kaism.strengthHighOnRight";
const LOCALE = JSON.parse(document.getElementById("chart-config")?.textContent || "{}");
// showSendToCloud off: plotly 4's "Share chart" button would send the data to Plotly's cloud.
const CONFIG = { responsive: true, displaylogo: false, showSendToCloud: false, ...LOCALE };

function strengthRange(figure) {
  const range = figure.layout.xaxis && figure.layout.xaxis.range;
  if (!range || !document.querySelector("[data-flip-strength]")) return;
  const highOnRight = localStorage.getItem(FLIP_KEY) === "1";
  const [low, high] = [Math.min(...range), Math.max(...range)];
  figure.layout.xaxis.range = highOnRight ? [low, high] : [high, low];
  // The figure's labels anchored for high strength on the right (see scoring/charts.py).
  const flipped = figure.layout.meta && figure.layout.meta.strength_high_on_right;
  if (highOnRight && flipped) Object.assign(figure.layout, flipped);
}

function chartsIn(root) {
  const charts = Array.from(root.querySelectorAll("[data-figure]"));
  return root instanceof Element && root.matches("[data-figure]") ? [root, ...charts] : charts;
}

function draw(root, { redraw = false } = {}) {
  const Plotly = globalThis.Plotly;
  if (!Plotly) return;
  for (const element of chartsIn(root)) {
    if (element.dataset.drawn && !redraw) continue;
    const source = document.getElementById(element.dataset.figure);
    if (!source) continue;
    const figure = JSON.parse(source.textContent);
    if (element.classList.contains("matrix")) strengthRange(figure);
    Plotly.react(element, figure.data, figure.layout, CONFIG);
    element.dataset.drawn = "1";
    if (element.hasAttribute("data-clickable") && !element.dataset.clickBound) {
      element.dataset.clickBound = "1";
      // A bubble carries its account's id; the figure's meta names the page's pattern.
      element.on("plotly_click", (data) => {
        const id = data.points[0] && data.points[0].customdata;
        const pattern = element.layout.meta && element.layout.meta.account_url;
        if (id !== undefined && pattern) window.location.href = pattern.replace("{}", id);
      });
    }
  }
}

draw(document);
// htmx:load fires on each element htmx inserts (after settling), so swapped-in charts draw.
document.addEventListener("htmx:load", (event) => draw(event.target));
document.addEventListener("click", (event) => {
  if (!event.target.closest("[data-flip-strength]")) return;
  const highOnRight = localStorage.getItem(FLIP_KEY) === "1";
  localStorage.setItem(FLIP_KEY, highOnRight ? "0" : "1");
  draw(document, { redraw: true });
});
