// Enface's service worker (served as /sw.js, rendered by webapp.web.offline; hand-written, no
// library). What it does:
// - keeps the app's own styles and scripts (version {{ version }}), so a saved page looks right;
// - keeps a copy of every reader page, the library and every word popup opened, network first,
//   in a cache of the signed-in person's own ("X-Enface-Owner"); offline it answers from that
//   cache only, and drops other people's copies as soon as someone else's page comes by;
// - sentence edits and approvals made offline are queued (IndexedDB, see offline-store.js) and
//   sent when the server answers again, each with its revision: a conflict comes back as the
//   usual conflict block, kept until the person acts on it, so nothing is lost.
"use strict";
importScripts("{{ url_for('static', filename='js/offline-store.js') }}");

const VERSION = "{{ version }}";
const ASSETS = {{ assets | tojson }};
const STATIC = `enface-static-${VERSION}`;
const OFFLINE_PAGE = "{{ url_for('offline.page') }}";
const userCache = (owner) => `enface-user-${owner}`;
const store = self.EnfaceStore;

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(STATIC).then((c) => c.addAll(ASSETS)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith("enface-static-") && name !== STATIC) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

// ---- whose copies: the owner of the pages seen last; someone else's page drops the others
const currentOwner = () => store.get("meta", "owner").then((v) => v || "");
async function setOwner(owner) {
  if (!owner) return;
  const before = await currentOwner();
  if (before === owner) return;
  for (const name of await caches.keys()) {
    if (name.startsWith("enface-user-") && name !== userCache(owner)) await caches.delete(name);
  }
  await store.put("meta", "owner", owner);
}
async function forget() { // sign-out: every copy and the owner go
  for (const name of await caches.keys()) if (name.startsWith("enface-user-")) await caches.delete(name);
  await store.clear("meta");
}

// ---- what is kept: reader pages (one copy per document, whatever the view settings),
// the library, word popups
const READER = /^\/documents\/\d+$/;
const keepable = (url, request) => url.origin === location.origin && request.method === "GET" && (
  READER.test(url.pathname) || url.pathname === "/" || url.pathname === "/words");
// a popup is kept by its word and document (where the word was met, unit= and start=, is for
// the learner's examples and changes with every sentence it is looked up from)
const popupKey = (url) => {
  const kept = new URLSearchParams();
  for (const name of ["q", "document"]) if (url.searchParams.has(name)) kept.set(name, url.searchParams.get(name));
  return `${url.origin}${url.pathname}?${kept}`;
};
const keyOf = (url) => (READER.test(url.pathname) || url.pathname === "/" ? url.origin + url.pathname
  : url.pathname === "/words" ? popupKey(url) : url.href);

async function networkFirst(request, url) {
  try {
    const response = await fetch(request);
    const owner = response.headers.get("X-Enface-Owner");
    const partial = request.headers.get("HX-Request") && url.pathname !== "/words";
    if (response.ok && owner && !partial && !response.redirected) {
      await setOwner(owner);
      const cache = await caches.open(userCache(owner));
      await cache.put(keyOf(url), response.clone());
    }
    flushSoon();
    return response;
  } catch (err) {
    const owner = await currentOwner();
    const cache = owner ? await caches.open(userCache(owner)) : null;
    const saved = cache ? await cache.match(keyOf(url)) : null;
    if (saved) return saved;
    if (url.pathname === "/words") return html(`<div class="popup offline"><p>You are offline, and this word was not looked up here before.</p><button type="button" class="close secondary" data-close>Close</button></div>`);
    if (request.mode === "navigate") return (await caches.match(OFFLINE_PAGE)) || Response.error();
    throw err;
  }
}

const html = (body, status = 200, headers = {}) =>
  new Response(body, { status, headers: { "Content-Type": "text/html; charset=utf-8", ...headers } });
const escapeHtml = (s) => String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);

// ---- edits made offline
const EDIT = /^\/units\/(\d+)(\/approve)?$/;
async function sendOrQueue(request, url) {
  const copy = request.clone();
  try {
    const response = await fetch(request);
    flushSoon();
    return response;
  } catch (err) {
    const [, unit, approve] = url.pathname.match(EDIT);
    const form = new URLSearchParams(await copy.text());
    const owner = await currentOwner();
    const queued = await store.queueEdit({
      unit, owner, path: url.pathname, body: form.toString(), at: Date.now(),
      document: new URL(request.referrer || location.origin).pathname,
    });
    const trigger = { "enface:queued": { unit, approve: queued.approve } };
    if (approve) { // the page keeps the sentence as it is and marks it (offline.js)
      return html("", 200, { "HX-Reswap": "none", "HX-Trigger": JSON.stringify(trigger) });
    }
    return html(pendingUnit(unit, form.get("revision"), form.get("translation"), queued.approve), 200,
      { "HX-Trigger": JSON.stringify(trigger) });
  }
}
function pendingUnit(unit, revision, text, approved) {
  const shown = escapeHtml(text || "");
  const label = approved ? "approved here, sent when you are online" : "saved here, sent when you are online";
  return `<span class="t st-pending" id="t-${unit}" data-unit="${unit}" data-revision="${escapeHtml(revision || "")}" data-pending tabindex="0" title="${label}">${shown}<span class="pending-mark" role="note"> (${label})</span></span>`;
}

let flushing = null;
function flushSoon() { if (!flushing) flushing = flush().finally(() => { flushing = null; }); return flushing; }
async function flush() {
  const edits = await store.all("edits");
  if (!edits.length) return;
  let state;
  try {
    state = await (await fetch("{{ url_for('offline.state') }}", { credentials: "same-origin", headers: { Accept: "application/json" } })).json();
  } catch { return; } // still offline
  for (const edit of edits) {
    if (edit.owner && state.owner !== edit.owner) continue; // someone else is signed in: keep it
    const body = new URLSearchParams(edit.body);
    body.set("csrf_token", state.csrf);
    let response;
    try {
      response = await fetch(edit.path, { method: "POST", body, credentials: "same-origin",
        headers: { "HX-Request": "true", "X-CSRF-Token": state.csrf } });
    } catch { return; } // offline again: the rest waits
    const answer = await response.text();
    if (response.status === 409) {
      await store.put("conflicts", edit.unit, { unit: edit.unit, html: answer, document: edit.document, at: Date.now() });
    } else if (!response.ok && response.status !== 400 && response.status !== 404) {
      continue; // signed out or refused for now: keep it for later
    }
    await store.delete("edits", edit.unit);
    const clients = await self.clients.matchAll({ type: "window" });
    for (const c of clients) c.postMessage({ type: "enface:sent", unit: edit.unit, status: response.status, html: answer });
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== location.origin) return;
  // Only the page's own edit requests are queued; every other change (and any form posted
  // as a navigation) goes to the server untouched (offline.js says so when it cannot).
  if (request.method === "POST" && request.mode !== "navigate" && EDIT.test(url.pathname)) {
    event.respondWith(sendOrQueue(request, url));
    return;
  }
  if (request.method !== "GET") return;
  if (ASSETS.includes(url.pathname)) {
    event.respondWith(caches.match(request, { cacheName: STATIC }).then((hit) => hit || fetch(request)));
    return;
  }
  if (keepable(url, request)) { event.respondWith(networkFirst(request, url)); return; }
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(async () => (await caches.match(OFFLINE_PAGE)) || Response.error()));
  }
});

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "keep" && data.url) { // a page opened before this worker was in charge
    const url = new URL(data.url, location.origin);
    const request = new Request(url.href, { credentials: "same-origin" });
    if (keepable(url, request)) event.waitUntil(networkFirst(request, url).catch(() => null));
  } else if (data.type === "flush") {
    event.waitUntil(flushSoon());
  } else if (data.type === "forget") {
    event.waitUntil(forget());
  }
});

self.addEventListener("sync", (event) => { if (event.tag === "enface-edits") event.waitUntil(flush()); });
