// Behaviour every page needs (an ES module: nothing here is global). htmx's response
// handling (422 swaps) is declared in base.html's htmx-config meta element.

// A refused request (403, 500, network) is said on screen instead of failing silently.
// A 403 or 404 to htmx answers its reason as text (kamapp/views.py), in the reader's language.
document.addEventListener("htmx:responseError", (event) => {
  const xhr = event.detail.xhr;
  const status = xhr.status;
  const reason = (xhr.getResponseHeader("Content-Type") || "").startsWith("text/plain")
    ? xhr.responseText.trim()
    : "";
  const message = reason || (status === 403
    ? document.body.dataset.msgForbidden
    : document.body.dataset.msgFailed);
  window.alert(message || "Request failed (" + status + ")");
});

// Language switcher: choosing a language applies it at once (the button stays as the
// no-JavaScript fallback and is hidden here). Modules run once the document is parsed.
document.querySelectorAll("[data-language-switcher]").forEach((form) => {
  const apply = form.querySelector("[data-language-apply]");
  if (apply) apply.hidden = true;
  const select = form.querySelector("[data-autosubmit]");
  if (select) select.addEventListener("change", () => form.submit());
});
