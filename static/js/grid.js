// Rating grids ([data-rating-grid]): keyboard movement between cells, the rubric of the
// focused factor, Enter recording a suggested value as it stands, and a delay with undo
// before a cleared rating is removed. Listeners sit on the document, so cells htmx swaps
// in keep working.

// How long a cleared rating can be restored before its removal is sent.
const UNDO_SECONDS = 5;

function cellsOf(grid) {
  return Array.from(grid.querySelectorAll("tbody tr")).map((row) =>
    Array.from(row.querySelectorAll("input.rating-input")));
}

// A cell saves on its change event, which leaving it fires. At the grid's edge there is no
// cell to move to, so the focus leaves and comes back: the same save as anywhere else (the
// swapped-in cell gets the focus back by its id).
function saveInPlace(input) {
  input.blur();
  input.focus();
}

function move(input, rowStep, colStep) {
  const grid = input.closest("[data-rating-grid]");
  if (!grid) return;
  const cells = cellsOf(grid);
  for (let r = 0; r < cells.length; r++) {
    const c = cells[r].indexOf(input);
    if (c === -1) continue;
    const target = (cells[r + rowStep] || [])[c + colStep];
    if (target) { target.focus(); target.select(); } else saveInPlace(input);
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
    // A suggested value nobody has recorded (the consensus cell's median) fires no change
    // event when left untouched: Enter records it as it stands.
    if (event.key === "Enter" && input.dataset.suggested !== undefined
        && input.value === input.defaultValue) {
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }
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

// Cleared rating cells waiting for their removal, by the input's id.
const pendingClears = new Map();

function clearCancel(id) {
  const pending = pendingClears.get(id);
  if (!pending) return;
  clearTimeout(pending.timer);
  pending.notice.remove();
  pendingClears.delete(id);
}

function clearNotice(input, onUndo) {
  const notice = document.createElement("span");
  notice.className = "cell-msg pending";
  notice.setAttribute("role", "status");
  notice.textContent = (document.body.dataset.msgCleared || "Rating cleared.") + " ";
  const undo = document.createElement("button");
  undo.type = "button";
  undo.className = "link";
  undo.textContent = document.body.dataset.msgUndo || "Undo";
  undo.addEventListener("click", onUndo);
  notice.append(undo);
  input.closest(".cell").append(notice);
  return notice;
}

// Clearing a stored rating removes it only once the notice has stood UNDO_SECONDS without
// an undo. htmx asks before each request (htmx:confirm); this one is held back meanwhile.
document.addEventListener("htmx:confirm", (event) => {
  const input = event.detail.elt;
  if (!(input instanceof HTMLInputElement) || input.dataset.stored === undefined) return;
  clearCancel(input.id);  // anything typed since supersedes a clear still waiting
  if (input.value.trim() !== "" || input.dataset.stored === "") return;
  event.preventDefault();
  const notice = clearNotice(input, () => {
    clearCancel(input.id);
    input.value = input.dataset.stored;
    input.focus();
  });
  const timer = setTimeout(() => {
    clearCancel(input.id);
    event.detail.issueRequest(true);
  }, UNDO_SECONDS * 1000);
  pendingClears.set(input.id, { input, notice, timer });
});

// Leaving the page before the delay is over confirms the clears still waiting: they are
// sent with a request that outlives the page.
window.addEventListener("pagehide", () => {
  const headers = JSON.parse(document.body.getAttribute("hx-headers") || "{}");
  pendingClears.forEach(({ input }, id) => {
    clearCancel(id);
    const body = new URLSearchParams({ ...JSON.parse(input.getAttribute("hx-vals")), value: "" });
    fetch(input.getAttribute("hx-post"), {
      method: "POST", body, headers, keepalive: true, credentials: "same-origin",
    });
  });
});
