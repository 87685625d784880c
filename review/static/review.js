// Keyboard paths and word-box highlights for the review screens. Plain JavaScript, no build.
(function () {
  "use strict";
  const typing = (el) => el && (el.tagName === "INPUT" || el.tagName === "SELECT" || el.tagName === "TEXTAREA");

  // Queue: j/k move between rows, Enter opens, / jumps to search.
  const rows = Array.from(document.querySelectorAll("#queue tr[data-href]"));
  rows.forEach((row) => row.addEventListener("click", () => { location.href = row.dataset.href; }));
  if (rows.length) {
    document.addEventListener("keydown", (event) => {
      if (typing(document.activeElement)) return;
      const at = rows.indexOf(document.activeElement);
      if (event.key === "j") { (rows[at + 1] || rows[0]).focus(); event.preventDefault(); }
      if (event.key === "k") { (rows[at - 1] || rows[0]).focus(); event.preventDefault(); }
      if (event.key === "Enter" && at >= 0) location.href = rows[at].dataset.href;
      if (event.key === "/") { document.querySelector("input[name=search]").focus(); event.preventDefault(); }
    });
  }

  // Item: focusing a field outlines the words it was read from on its page.
  const item = document.querySelector(".item");
  if (!item) return;
  const inputs = Array.from(document.querySelectorAll(".field-input"));
  function clearBoxes() { document.querySelectorAll(".box").forEach((b) => b.remove()); }
  function showBoxes(form) {
    clearBoxes();
    const page = document.getElementById("page-" + form.dataset.page);
    const boxes = JSON.parse(form.dataset.boxes || "[]");
    if (!page || !boxes.length) return;
    const sheet = page.querySelector(".sheet");
    const width = parseFloat(page.dataset.width), height = parseFloat(page.dataset.height);
    boxes.forEach(([left, top, w, h]) => {
      const box = document.createElement("div");
      box.className = "box";
      box.style.left = (100 * left / width) + "%";
      box.style.top = (100 * top / height) + "%";
      box.style.width = (100 * w / width) + "%";
      box.style.height = (100 * h / height) + "%";
      sheet.appendChild(box);
    });
    const first = sheet.querySelector(".box");
    if (first) first.scrollIntoView({ block: "center", behavior: "instant" });
  }
  inputs.forEach((input) => input.addEventListener("focus", () => showBoxes(input.form)));

  // Land on the field after the one just saved, else the first field still to confirm.
  const wanted = item.dataset.focus;
  const start = inputs.find((i) => i.dataset.index === wanted)
    || inputs.find((i) => !i.form.classList.contains("confirmed") && !i.form.classList.contains("missing"))
    || inputs[0];
  if (start && !document.getElementById("problem")) { start.focus(); start.select(); }

  let zoom = 1;
  function setZoom(step) {
    zoom = Math.min(3, Math.max(0.5, zoom + step * 0.25));
    document.getElementById("pages").style.setProperty("--zoom", zoom);
  }
  document.querySelectorAll("[data-zoom]").forEach((b) => b.addEventListener("click", () => setZoom(+b.dataset.zoom)));

  // Approving with a field still being edited would drop that edit: stop and point at it.
  const approveForm = document.getElementById("approve-form");
  function unsavedEdit() {
    const edited = inputs.find((i) => i.value !== i.defaultValue);
    if (!edited) return false;
    const warning = document.getElementById("unsaved");
    warning.textContent = "Unsaved change in " + edited.dataset.label + ": press Enter to save it or Esc to undo it, then approve.";
    warning.hidden = false;
    edited.focus();
    return true;
  }
  inputs.forEach((input) => input.addEventListener("keydown", (event) => {
    if (event.key === "Escape") input.value = input.defaultValue;
  }));
  if (approveForm) approveForm.addEventListener("submit", (event) => { if (unsavedEdit()) event.preventDefault(); });

  document.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      if (approveForm && !unsavedEdit()) approveForm.submit();
      return;
    }
    if (event.key === "Escape" && typing(document.activeElement)) { document.activeElement.blur(); clearBoxes(); return; }
    if (typing(document.activeElement)) return;
    if (event.key === "+" || event.key === "=") setZoom(1);
    if (event.key === "-") setZoom(-1);
  });
})();
