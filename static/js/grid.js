// Rating grids ([data-rating-grid]): keyboard movement between cells and the rubric of
// the focused factor. Listeners sit on the document, so cells htmx swaps in keep working.
function cellsOf(grid) {
  return Array.from(grid.querySelectorAll("tbody tr")).map((row) =>
    Array.from(row.querySelectorAll("input.rating-input")));
}

function move(input, rowStep, colStep) {
  const grid = input.closest("[data-rating-grid]");
  if (!grid) return;
  const cells = cellsOf(grid);
  for (let r = 0; r < cells.length; r++) {
    const c = cells[r].indexOf(input);
    if (c === -1) continue;
    const target = (cells[r + rowStep] || [])[c + colStep];
    if (target) { target.focus(); target.select(); }
    return;
  }
}

document.addEventListener("keydown", (event) => {
  const input = event.target;
  if (!(input instanceof HTMLInputElement) || !input.classList.contains("rating-input")) return;
  const atStart = input.selectionStart === 0 && input.selectionEnd === 0;
  const atEnd = input.selectionStart === input.value.length;
  if (event.key === "Enter" || event.key === "ArrowDown") {
    event.preventDefault();
    // Enter also saves: leaving the cell fires its change event.
    move(input, event.shiftKey ? -1 : 1, 0);
  } else if (event.key === "ArrowUp") {
    event.preventDefault(); move(input, -1, 0);
  } else if (event.key === "ArrowRight" && atEnd) {
    event.preventDefault(); move(input, 0, 1);
  } else if (event.key === "ArrowLeft" && atStart) {
    event.preventDefault(); move(input, 0, -1);
  }
});

document.addEventListener("focusin", (event) => {
  const input = event.target;
  if (!(input instanceof HTMLInputElement) || !input.dataset.factor) return;
  const rubric = document.getElementById("rubric");
  if (!rubric) return;
  rubric.querySelectorAll("[data-factor]").forEach((section) => {
    section.hidden = section.dataset.factor !== input.dataset.factor;
  });
});
