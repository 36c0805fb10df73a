// The bookmarklet (webapp.web.send puts it on one line behind "javascript:" with this Enface's
// origin). On the page being read: open a small Enface window, and when it says it is ready,
// hand it the page as the browser shows it (HTML after scripts ran) and its address, aimed at
// Enface's origin only. Nothing else leaves the page; Enface's window asks before importing.
(() => {
  const E = "__ENFACE_ORIGIN__";
  const w = window.open(E + "/send", "enface-send", "popup,width=560,height=680");
  if (!w) { alert("Enface: allow pop-up windows for this site, then click the bookmarklet again."); return; }
  const doctype = document.doctype ? "<!DOCTYPE " + document.doctype.name + ">" : "";
  const page = { type: "enface:page", url: location.href, title: document.title,
    html: doctype + document.documentElement.outerHTML };
  const ready = (e) => {
    if (e.origin !== E || e.source !== w || e.data !== "enface:ready") return;
    w.postMessage(page, E);
    window.removeEventListener("message", ready);
  };
  window.addEventListener("message", ready);
})();
