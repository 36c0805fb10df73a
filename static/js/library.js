// The library's list: tick every document of the page at once; leave empty filters out of the
// address (a shared link holds only what was chosen).
(() => {
  "use strict";
  const showPickAll = () => document.querySelectorAll(".pick-all[hidden]").forEach((label) => { label.hidden = false; });
  document.addEventListener("DOMContentLoaded", showPickAll);
  document.addEventListener("htmx:afterSettle", showPickAll);
  document.addEventListener("change", (e) => {
    if (!(e.target instanceof Element) || !e.target.matches("[data-pick-all]")) return;
    document.querySelectorAll("input.pick").forEach((box) => { box.checked = e.target.checked; });
  });
  document.addEventListener("htmx:configRequest", (e) => {
    const form = e.detail.elt instanceof Element ? e.detail.elt.closest("form[data-drop-empty]") : null;
    if (!form || e.detail.verb !== "get") return;
    const empty = [];
    for (const [key, value] of e.detail.formData.entries()) if (value === "") empty.push(key);
    empty.forEach((key) => e.detail.formData.delete(key));
  });
})();
