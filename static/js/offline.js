// Enface offline, the page's side (the service worker is /sw.js): register the worker, keep
// this page when it is one worth keeping, edit a sentence while offline (an editor made here, as
// the server's cannot be fetched), show edits waiting to be sent and conflicts they met, send
// them when the connection is back, and forget every copy at sign-out.
(() => {
  "use strict";
  if (!("serviceWorker" in navigator) || !window.isSecureContext) return;
  const store = window.EnfaceStore;
  const closest = (t, sel) => (t instanceof Element ? t.closest(sel) : null);
  const owner = document.body.dataset.user || "";
  const note = document.getElementById("offline-note");

  const toWorker = async (message) => {
    const reg = await navigator.serviceWorker.ready;
    (navigator.serviceWorker.controller || reg.active)?.postMessage(message);
  };
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).then(() => {
    // A page opened before the worker was in charge is kept now (the worker fetches it again).
    if (!navigator.serviceWorker.controller && owner) toWorker({ type: "keep", url: location.pathname });
    if (navigator.onLine) toWorker({ type: "flush" });
  }).catch(() => { /* no worker: the app works online as before */ });

  // ---- online / offline
  const showState = () => {
    if (!note) return;
    note.hidden = navigator.onLine;
    note.textContent = "You are offline. Documents you opened before can be read; sentence edits are kept on this device and sent when you are back online.";
  };
  window.addEventListener("offline", showState);
  window.addEventListener("online", () => { showState(); toWorker({ type: "flush" }); });
  showState();

  // ---- edits waiting to be sent, and conflicts they met: shown on the sentences of this page
  const swapUnit = (id, html) => {
    const el = document.getElementById(`t-${id}`);
    if (!el || !html) return;
    const box = document.createElement("template");
    box.innerHTML = html.trim();
    const fresh = box.content.querySelector(`#t-${CSS.escape(String(id))}`);
    if (!fresh) return;
    el.replaceWith(fresh);
    if (window.htmx) htmx.process(fresh);
  };
  const markPending = (id, approve) => {
    const el = document.getElementById(`t-${id}`);
    if (!el || el.querySelector(".pending-mark")) return;
    el.classList.add("st-pending");
    el.dataset.pending = "";
    const mark = document.createElement("span");
    mark.className = "pending-mark";
    mark.setAttribute("role", "note");
    mark.textContent = approve ? " (approved here, sent when you are online)" : " (saved here, sent when you are online)";
    el.append(mark);
  };
  const showStored = async () => {
    if (!store) return;
    for (const edit of await store.all("edits").catch(() => [])) {
      if (edit.owner && owner && edit.owner !== owner) continue;
      const el = document.getElementById(`t-${edit.unit}`);
      if (!el) continue;
      const text = new URLSearchParams(edit.body).get("translation");
      if (text !== null && !/\/approve$/.test(edit.path)) el.firstChild && el.replaceChildren(document.createTextNode(text));
      markPending(edit.unit, edit.approve);
    }
    for (const conflict of await store.all("conflicts").catch(() => [])) swapUnit(conflict.unit, conflict.html);
  };
  showStored();
  document.addEventListener("enface:queued", (e) => markPending(e.detail.unit, e.detail.approve));
  navigator.serviceWorker.addEventListener("message", (e) => {
    const data = e.data || {};
    if (data.type !== "enface:sent") return;
    if (data.status === 200 || data.status === 409) swapUnit(data.unit, data.html);
    else {
      const messages = document.getElementById("messages");
      if (messages && data.html) { messages.innerHTML = data.html; if (window.htmx) htmx.process(messages); }
    }
  });
  // Acting on a conflict (keep theirs, edit, overwrite) settles it.
  document.addEventListener("htmx:afterRequest", (e) => {
    const conflict = closest(e.detail.elt, ".t.conflict");
    if (conflict && store && e.detail.xhr && e.detail.xhr.status < 400) store.delete("conflicts", conflict.dataset.unit);
  });

  // ---- the editor while offline: the server's cannot be fetched, so one is made here
  const originals = new Map();
  document.addEventListener("htmx:sendError", (e) => {
    const path = e.detail.pathInfo && (e.detail.pathInfo.finalRequestPath || e.detail.pathInfo.requestPath) || "";
    const verb = (e.detail.requestConfig && e.detail.requestConfig.verb) || "get";
    const messages = document.getElementById("messages");
    if (verb !== "get" && messages && e.detail.elt !== document.body) { // a change that needs the server
      messages.innerHTML = '<div class="error" role="alert"><button type="button" class="close secondary" data-dismiss aria-label="Dismiss this message">×</button><strong class="title">You are offline</strong><p>This needs the server. Nothing was changed; try again when you are back online.</p></div>';
      return;
    }
    const m = path.match(/^\/units\/(\d+)\/edit/);
    const template = document.getElementById("offline-editor");
    const t = m && document.getElementById(`t-${m[1]}`);
    if (!t || !template || t.classList.contains("editing")) return;
    const editor = template.content.firstElementChild.cloneNode(true);
    const id = m[1];
    editor.id = `t-${id}`;
    editor.dataset.unit = id;
    editor.dataset.revision = t.dataset.revision;
    const form = editor.querySelector("form");
    form.setAttribute("action", `/units/${id}`);
    form.setAttribute("hx-post", `/units/${id}`);
    form.setAttribute("hx-target", `#t-${id}`);
    form.querySelector("[name=revision]").value = t.dataset.revision;
    const area = form.querySelector("textarea");
    const text = t.cloneNode(true);
    text.querySelectorAll(".pending, .pending-mark, .term-warn").forEach((n) => n.remove());
    area.value = area.defaultValue = text.textContent.trim();
    originals.set(id, t);
    t.replaceWith(editor);
    if (window.htmx) htmx.process(editor);
    area.focus();
  });
  document.addEventListener("click", (e) => {
    const cancel = closest(e.target, "[data-offline-cancel]");
    if (!cancel) return;
    const editor = cancel.closest(".t.editing");
    const original = editor && originals.get(editor.dataset.unit);
    if (original) { editor.replaceWith(original); originals.delete(editor.dataset.unit); original.focus(); }
  });

  // ---- sign-out: this person's copies go (the server also sends Clear-Site-Data, which
  // empties this browser's storage for the site whatever happens here)
  let waiting = 0; // edits not sent yet, known before anyone presses "Sign out"
  const count = () => store && store.all("edits").then((all) => { waiting = all.length; }).catch(() => {});
  count();
  document.addEventListener("enface:queued", count);
  navigator.serviceWorker.addEventListener("message", count);
  // Until they are sent, ask again now and then (the first try may come before the server is
  // back, or before the browser's connection really is).
  setInterval(() => { if (waiting && navigator.onLine) { toWorker({ type: "flush" }); count(); } }, 4000);
  document.addEventListener("submit", (e) => {
    if (!closest(e.target, "form.whoami")) return;
    if (waiting && !window.confirm(`${waiting} sentence edit(s) made offline are not sent yet; signing out discards them. Sign out anyway?`)) {
      e.preventDefault();
      return;
    }
    caches.keys().then((names) => names.filter((n) => n.startsWith("enface-user-")).forEach((n) => caches.delete(n)));
    if (store) for (const name of ["edits", "conflicts", "meta"]) store.clear(name).catch(() => {});
    toWorker({ type: "forget" });
  });
})();
