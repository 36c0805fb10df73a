// Enface's offline store (IndexedDB), shared by the service worker (importScripts) and the
// pages: "edits" made offline waiting to be sent (one per sentence, the latest text on the first
// base revision), "conflicts" they met when sent (until the person acts on them), and "meta"
// (whose copies the caches hold).
(() => {
  "use strict";
  const STORES = ["edits", "conflicts", "meta"];
  let opening = null;
  const open = () => opening || (opening = new Promise((resolve, reject) => {
    const req = indexedDB.open("enface", 1);
    req.onupgradeneeded = () => { for (const name of STORES) if (!req.result.objectStoreNames.contains(name)) req.result.createObjectStore(name); };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => { opening = null; reject(req.error); };
  }));
  const run = (name, mode, work) => open().then((db) => new Promise((resolve, reject) => {
    const tx = db.transaction(name, mode);
    const result = work(tx.objectStore(name));
    tx.oncomplete = () => resolve(result && "result" in result ? result.result : undefined);
    tx.onerror = () => reject(tx.error);
  }));
  const store = {
    get: (name, key) => run(name, "readonly", (s) => s.get(String(key))),
    put: (name, key, value) => run(name, "readwrite", (s) => s.put(value, String(key))),
    delete: (name, key) => run(name, "readwrite", (s) => s.delete(String(key))),
    clear: (name) => run(name, "readwrite", (s) => s.clear()),
    all: (name) => run(name, "readonly", (s) => s.getAll()),
    /** Queue an edit or approval of a sentence; a second one of the same sentence joins the
     * first (the first one's base revision, the newest text). Returns what is queued. */
    async queueEdit(entry) {
      const before = await store.get("edits", entry.unit);
      const approveOnly = /\/approve$/.test(entry.path);
      let next = { ...entry, approve: approveOnly };
      if (before) {
        const body = new URLSearchParams(approveOnly ? before.body : entry.body);
        body.set("revision", new URLSearchParams(before.body).get("revision") || body.get("revision"));
        if (approveOnly && !/\/approve$/.test(before.path)) body.set("approve", "1");
        next = { ...before, body: body.toString(), at: entry.at,
          path: approveOnly ? before.path : entry.path,
          approve: approveOnly || body.get("approve") === "1" };
      }
      await store.put("edits", entry.unit, next);
      return next;
    },
  };
  self.EnfaceStore = store;
})();
