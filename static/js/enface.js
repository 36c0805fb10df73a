// Enface reader: link each sentence to its counterpart in the other column.
(() => {
  "use strict";
  const pair = (el) => {
    const id = el && el.dataset ? el.dataset.unit : null;
    return id ? document.querySelectorAll(`#s-${CSS.escape(id)}, #t-${CSS.escape(id)}`) : [];
  };
  const light = (el, on) => pair(el).forEach((n) => n.classList.toggle("linked", on));
  const unitOf = (target) => target instanceof Element ? target.closest(".s[data-unit], .t[data-unit]") : null;
  for (const [ev, on] of [["mouseover", true], ["mouseout", false], ["focusin", true], ["focusout", false]]) {
    document.addEventListener(ev, (e) => { const u = unitOf(e.target); if (u) light(u, on); });
  }
  document.addEventListener("click", (e) => {
    const s = e.target instanceof Element ? e.target.closest(".s[data-unit]") : null;
    if (s && !e.target.closest("a")) {
      const t = document.getElementById(`t-${s.dataset.unit}`);
      if (t) t.focus();
    }
  });
})();
