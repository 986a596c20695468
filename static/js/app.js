// Behaviour shared by every page. Kept out of the templates so pages need no inline script.
"use strict";

// htmx swaps 422 responses (a refused cell or form comes back with its message).
document.addEventListener("DOMContentLoaded", () => {
  if (!window.htmx) return;
  window.htmx.config.responseHandling = [
    { code: "204", swap: false },
    { code: "[23]..", swap: true },
    { code: "422", swap: true, error: false },
    { code: "[45]..", swap: false, error: true },
  ];
});

// A refused request (403, 500, network) is said on screen instead of failing silently.
document.addEventListener("htmx:responseError", (event) => {
  const status = event.detail.xhr.status;
  const message = status === 403
    ? document.body.dataset.msgForbidden
    : document.body.dataset.msgFailed;
  window.alert(message || "Request failed (" + status + ")");
});

// Sensitivity slider: show the share as it moves (the server recomputes the matrix).
document.addEventListener("input", (event) => {
  if (event.target.id !== "share") return;
  const output = document.getElementById("share-out");
  if (output) output.textContent = event.target.value;
});

// Language switcher: choosing a language applies it at once (the button stays as the
// no-JavaScript fallback and is hidden once this runs).
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-language-switcher]").forEach((form) => {
    const apply = form.querySelector("[data-language-apply]");
    if (apply) apply.hidden = true;
    const select = form.querySelector("[data-autosubmit]");
    if (select) select.addEventListener("change", () => form.submit());
  });
});
