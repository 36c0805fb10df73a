// Enface reader: linked sentences, in-place editing and keyboard review. One listener per event
// type on the document (event delegation), so a 2,000-block page costs nothing extra.
(() => {
  "use strict";
  const esc = (id) => CSS.escape(String(id));
  const pair = (el) => {
    const id = el && el.dataset ? el.dataset.unit : null;
    return id ? document.querySelectorAll(`#s-${esc(id)}, #t-${esc(id)}`) : [];
  };
  const light = (el, on) => pair(el).forEach((n) => n.classList.toggle("linked", on));
  const closest = (target, sel) => (target instanceof Element ? target.closest(sel) : null);
  const unitOf = (target) => closest(target, ".s[data-unit], .t[data-unit]");
  const viewOf = (target) => closest(target, ".t[data-unit]:not(.editing):not(.conflict)");
  const editorOf = (target) => closest(target, ".t.editing, form.editor.para");
  let refocus = null; // the unit id (or "seg-N") to focus once htmx has swapped the new content in

  for (const [ev, on] of [["mouseover", true], ["mouseout", false], ["focusin", true], ["focusout", false]]) {
    document.addEventListener(ev, (e) => { const u = unitOf(e.target); if (u) light(u, on); });
  }

  const sentences = () => Array.from(document.querySelectorAll(".t[data-unit]"));
  const neighbour = (id, step) => {
    const all = sentences();
    const i = all.findIndex((n) => n.dataset.unit === String(id));
    return all[i + step] || null;
  };
  const readonly = () => document.querySelector("#reader[data-readonly]") !== null;
  const openEditor = (t) => {
    if (!window.htmx) return;
    if (readonly()) { // a reader sees the sentence's history instead of an editor
      htmx.ajax("GET", `/units/${t.dataset.unit}/history`, { source: t, target: "#history-panel", swap: "innerHTML" });
      return;
    }
    refocus = "editor";
    htmx.ajax("GET", `/units/${t.dataset.unit}/edit`, { source: t, target: t, swap: "outerHTML" });
  };
  const openParagraph = (t) => {
    const row = t.closest("section.row[data-segment]");
    if (!row || !window.htmx) return;
    refocus = "editor";
    htmx.ajax("GET", `/segments/${row.dataset.segment}/edit`, { source: row, target: row, swap: "outerHTML" });
  };
  const approve = (t) => {
    refocus = t.dataset.unit;
    htmx.ajax("POST", `/units/${t.dataset.unit}/approve`,
      { source: t, target: t, swap: "outerHTML", values: { revision: t.dataset.revision } });
  };
  // Close an editor: save when its text changed, else show the sentence again.
  // htmx wires swapped-in content when it settles; a key pressed before that must not fall
  // back to a plain form post, so make sure the editor is wired first.
  const wired = (form) => { if (window.htmx) htmx.process(form); return form; };
  const leave = (editor, then) => {
    const form = editor.matches("form") ? editor : editor.querySelector("form.editor");
    if (!form || form.dataset.leaving) return;
    wired(form);
    form.dataset.leaving = "1";
    refocus = then;
    const area = form.querySelector("textarea");
    if (area && area.value !== area.defaultValue) form.requestSubmit();
    else form.querySelector("[data-cancel]").click();
  };

  document.addEventListener("click", (e) => {
    const s = closest(e.target, ".s[data-unit]");
    if (s && !e.target.closest("a")) {
      const t = document.getElementById(`t-${s.dataset.unit}`);
      if (t) t.focus();
      return;
    }
    const t = viewOf(e.target);
    if (t && !e.target.closest("a, button")) openEditor(t);
  });

  document.addEventListener("keydown", (e) => {
    const editor = editorOf(e.target);
    if (editor && e.target.matches("textarea")) {
      const form = wired(e.target.form);
      const unit = editor.dataset.unit;
      if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        refocus = unit || "seg";
        form.dataset.leaving = "1";
        form.requestSubmit();
      } else if (e.key === "Escape") {
        e.preventDefault();
        refocus = unit || null;
        form.dataset.leaving = "1";
        form.querySelector("[data-cancel]").click();
      } else if (e.key === "Tab" && unit) {
        e.preventDefault();
        const next = neighbour(unit, e.shiftKey ? -1 : 1);
        leave(editor, next ? next.dataset.unit : unit);
      }
      return;
    }
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const t = viewOf(e.target);
    if (!t || document.activeElement !== t) return;
    if (e.key === "Enter") { e.preventDefault(); openEditor(t); }
    else if (e.key === "j" || e.key === "k") {
      const n = neighbour(t.dataset.unit, e.key === "j" ? 1 : -1);
      if (n) { e.preventDefault(); n.focus(); }
    } else if (readonly()) return;
    else if (e.key === "a") { e.preventDefault(); approve(t); }
    else if (e.key === "p") { e.preventDefault(); openParagraph(t); }
  });

  // Leaving an editor (focus moves outside it) saves a change or closes it.
  document.addEventListener("focusout", (e) => {
    const editor = editorOf(e.target);
    if (!editor || !editor.isConnected) return;
    const to = e.relatedTarget;
    if (to instanceof Node && editor.contains(to)) return;
    if (to === null && !document.hasFocus()) return; // the window lost focus: keep editing
    const next = viewOf(to);
    leave(editor, next ? next.dataset.unit : null);
  });

  // A request that replaces the editor (save, cancel, retranslate) means it is being left;
  // if the answer is an error and the editor stays, it is live again.
  document.addEventListener("htmx:beforeRequest", (e) => {
    const form = closest(e.detail.elt, "form.editor");
    if (form && e.detail.target && e.detail.target.contains(form)) form.dataset.leaving = "1";
  });
  document.addEventListener("htmx:afterRequest", (e) => {
    const form = closest(e.detail.elt, "form.editor");
    if (form && form.isConnected && e.detail.xhr.status >= 400) delete form.dataset.leaving;
  });

  // History and alternatives open below the editor: bring them into view (on a phone the
  // on-screen keyboard leaves little room).
  document.addEventListener("htmx:afterSwap", (e) => {
    const panel = e.detail.target;
    if (panel instanceof Element && panel.matches(".panel") && panel.firstElementChild) {
      panel.scrollIntoView({ block: "nearest", behavior: "smooth" });
    }
  });

  // After a swap: focus the editor's text, or the sentence the reader was moving to.
  document.addEventListener("htmx:afterSettle", () => {
    if (refocus === null) return;
    const want = refocus;
    if (want === "editor") {
      const area = document.querySelector(".t.editing textarea, form.editor.para textarea");
      if (area) {
        refocus = null;
        if (document.activeElement === area) return; // already in use: leave its selection be
        area.focus({ preventScroll: true });
        area.setSelectionRange(area.value.length, area.value.length);
      }
      return;
    }
    const el = document.getElementById(`t-${want}`);
    if (el && !el.classList.contains("editing")) { refocus = null; el.focus({ preventScroll: true }); }
  });

  // Messages: an error can be dismissed; a later change that worked clears the old ones.
  const messages = document.getElementById("messages");
  document.addEventListener("click", (e) => {
    const x = closest(e.target, "[data-dismiss]");
    if (x) { const box = x.closest(".error, .notice"); if (box) box.remove(); }
  });
  document.addEventListener("htmx:afterRequest", (e) => {
    const verb = (e.detail.requestConfig && e.detail.requestConfig.verb) || "get";
    // (not the background report of what is on screen, which the page sends on its own)
    if (messages && e.detail.xhr && e.detail.xhr.status < 400 && verb !== "get" && e.detail.elt !== document.body) {
      messages.replaceChildren();
    }
  });

  // The "only unreviewed" filter: a class on the reader, kept in the address for reloads.
  document.addEventListener("change", (e) => {
    if (!closest(e.target, "[data-filter]")) return;
    const on = e.target.checked;
    const reader = document.getElementById("reader");
    if (reader) reader.classList.toggle("only-unreviewed", on);
    const url = new URL(window.location.href);
    if (on) url.searchParams.set("filter", "unreviewed"); else url.searchParams.delete("filter");
    history.replaceState(null, "", url);
  });

  // While a translation runs, tell the server which blocks are on screen (throttled), so the
  // worker translates them next. The progress block carries the URL only while a job runs.
  const onScreen = new Set();
  let lastSent = "";
  let running = document.querySelector("#progress[data-focus]") !== null;
  let timer = null;
  const sendFocus = () => {
    timer = null;
    const progress = document.querySelector("#progress[data-focus]");
    const rows = Array.from(onScreen).filter((row) => row.isConnected);
    if (!progress || !rows.length) return;
    rows.sort((a, b) => (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1));
    const ids = rows.map((row) => row.dataset.segment).join(",");
    if (ids === lastSent) return;
    lastSent = ids;
    // Through htmx, so the request carries the page's CSRF header like every other one.
    htmx.ajax("POST", progress.dataset.focus, { source: document.body, swap: "none", values: { segments: ids } })
      .catch(() => { lastSent = ""; });
  };
  const focusSoon = () => { if (timer === null) timer = setTimeout(sendFocus, 300); };
  // A row is `display: contents` (no box of its own): watch its source column.
  const watcher = "IntersectionObserver" in window ? new IntersectionObserver((entries) => {
    for (const e of entries) {
      const row = e.target.closest("section.row[data-segment]");
      if (row && e.isIntersecting) onScreen.add(row); else if (row) onScreen.delete(row);
    }
    focusSoon();
  }) : null;
  const watchRows = () => {
    if (!watcher) return;
    document.querySelectorAll("#reader section.row[data-segment]:not([data-watched])").forEach((row) => {
      row.dataset.watched = "1";
      const box = row.querySelector(".col");
      if (box) watcher.observe(box);
    });
  };
  watchRows();
  // Rows replaced by an edit are watched again; a job that starts after the reader scrolled
  // still hears where the reader is.
  document.addEventListener("htmx:afterSettle", () => {
    watchRows();
    const now = document.querySelector("#progress[data-focus]") !== null;
    if (now && !running) { lastSent = ""; focusSoon(); }
    running = now;
  });
})();
