// Publication times are stored as UTC instants; show them in the reader's own time zone
// (the page's original local time stays in the element's title, shown on hover).
(() => {
  "use strict";
  const show = (root) => {
    for (const el of root.querySelectorAll("time[data-local][datetime]")) {
      const when = new Date(el.getAttribute("datetime"));
      if (!Number.isNaN(when.getTime())) {
        el.textContent = when.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
      }
    }
  };
  document.addEventListener("DOMContentLoaded", () => show(document));
  document.addEventListener("htmx:load", (e) => show(e.target));
})();
