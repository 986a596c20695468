// Meeting view: keyboard shortcuts to step through accounts and to go full screen.
function toggleFullscreen() {
  if (document.fullscreenElement) document.exitFullscreen();
  else document.documentElement.requestFullscreen().catch(() => {});
}

function typingIn(target) {
  return target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement
    || target instanceof HTMLSelectElement;
}

document.addEventListener("keydown", (event) => {
  if (typingIn(event.target)) return;
  const key = event.key.toLowerCase();
  if (key === "arrowright" || key === "n") {
    const next = document.querySelector("[data-meeting-next]");
    if (next) { event.preventDefault(); next.click(); }
  } else if (key === "arrowleft" || key === "p") {
    const previous = document.querySelector("[data-meeting-prev]");
    if (previous) { event.preventDefault(); previous.click(); }
  } else if (key === "f") {
    event.preventDefault();
    toggleFullscreen();
  }
});

document.addEventListener("click", (event) => {
  if (event.target.closest("[data-fullscreen]")) toggleFullscreen();
});
