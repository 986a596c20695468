// Sensitivity page: show the share as the slider moves (the server recomputes the matrix).
document.addEventListener("input", (event) => {
  if (event.target.id !== "share") return;
  const output = document.getElementById("share-out");
  if (output) output.textContent = event.target.value;
});
