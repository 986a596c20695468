// Factor sets: add a row from the formset's empty form; the running sum is htmx's job.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-add-factor]");
  if (!button) return;
  const form = button.closest("[data-factor-form]");
  const total = form.querySelector('input[name$="-TOTAL_FORMS"]');
  const index = Number(total.value);
  const template = form.querySelector("template[data-empty-form]");
  const html = template.innerHTML.replaceAll("__prefix__", index);
  const rows = form.querySelector("[data-factor-rows]");
  rows.insertAdjacentHTML("beforeend", html);
  total.value = index + 1;
  const position = rows.lastElementChild.querySelector('input[name$="-position"]');
  if (position) position.value = index + 1;
  rows.lastElementChild.querySelector('input[name$="-name"]').focus();
  form.dispatchEvent(new Event("factorAdded"));
});
