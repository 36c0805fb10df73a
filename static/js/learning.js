// Enface: a learner's words in the reader. Word spans carry their words to learn (data-k); the
// statuses of the article's words come with the page (#learning-state, data-statuses) and after
// every change. Each span gets data-ws (new, l1…l4, known, ignored); CSS marks new and learning
// words when "Mark new and learning words" is on, and hides pinyin over known words when asked.
// The popup's status buttons answer keys 1–4, k, i. Settings live in the address and this
// browser, as the reading settings do.
(() => {
  "use strict";
  const reader = document.getElementById("reader");
  const stateEl = () => document.getElementById("learning-state");
  if (!reader || !stateEl()) return;
  const KEY = "enface.learning";
  const PARAMS = { marks: "marks", "unknown-pinyin": "kpy" }; // setting → address parameter
  const LEARNING = { learning1: 1, learning2: 2, learning3: 3, learning4: 4 };
  const STATUS_KEYS = new Set(["1", "2", "3", "4", "k", "i"]);
  const closest = (t, sel) => (t instanceof Element ? t.closest(sel) : null);

  // ---- the statuses of this article's words, as the server last said
  let statuses = {};
  let seen = null;
  const load = () => {
    const raw = stateEl() ? stateEl().dataset.statuses || "{}" : "{}";
    if (raw === seen) return false;
    seen = raw;
    try { statuses = JSON.parse(raw); } catch { statuses = {}; }
    return true;
  };
  const stateOf = (keys) => {
    let learning = 0;
    let fresh = false;
    let known = true;
    for (const k of keys) {
      const s = statuses[k] || "new";
      if (LEARNING[s]) learning = learning ? Math.min(learning, LEARNING[s]) : LEARNING[s];
      else if (s === "new") fresh = true;
      if (s !== "known") known = false;
    }
    if (learning) return `l${learning}`;
    if (fresh) return "new";
    return known ? "known" : "ignored";
  };
  const paint = (root) => {
    root.querySelectorAll(".w[data-k]").forEach((w) => {
      const v = stateOf(w.dataset.k.split(" "));
      if (w.dataset.ws !== v) w.dataset.ws = v;
    });
  };

  // ---- settings: address first, then this browser, then off
  const stored = () => { try { return JSON.parse(localStorage.getItem(KEY) || "{}"); } catch { return {}; } };
  const settings = () => {
    const url = new URL(window.location.href);
    const saved = stored();
    const out = {};
    for (const [name, param] of Object.entries(PARAMS)) {
      const v = url.searchParams.get(param) ?? saved[name] ?? "0";
      out[name] = v === "1" ? "1" : "0";
    }
    return out;
  };
  const save = (s) => {
    try { localStorage.setItem(KEY, JSON.stringify(s)); } catch { /* private mode: address only */ }
    const url = new URL(window.location.href);
    for (const [name, param] of Object.entries(PARAMS)) {
      if (s[name] === "1") url.searchParams.set(param, "1"); else url.searchParams.delete(param);
    }
    history.replaceState(history.state, "", url);
  };
  const apply = (s) => {
    reader.classList.toggle("marks-on", s.marks === "1");
    reader.classList.toggle("unknown-pinyin", s["unknown-pinyin"] === "1");
    document.querySelectorAll("[data-learning]").forEach((input) => {
      input.checked = s[input.dataset.learning] === "1";
    });
  };
  let current = settings();
  load();
  paint(reader);
  apply(current);

  document.addEventListener("change", (e) => {
    const input = closest(e.target, "[data-learning]");
    if (!input) return;
    current = { ...current, [input.dataset.learning]: input.checked ? "1" : "0" };
    apply(current);
    save(current);
  });

  // ---- the popup: where the word was met (its sentence and offset) goes with the lookup
  const offsetIn = (sentence, word) => {
    let n = 0;
    for (const node of sentence.childNodes) {
      if (node === word) return n;
      const text = node.nodeType === 1 ? (node.dataset.text || node.textContent) : node.nodeValue;
      n += Array.from(text || "").length;
    }
    return null;
  };
  document.addEventListener("htmx:configRequest", (e) => {
    if (!e.detail.path.startsWith("/words?")) return;
    const w = reader.querySelector(".w.open");
    const s = w && w.parentElement && w.parentElement.matches(".s[data-unit]") ? w.parentElement : null;
    if (!s) return;
    const start = offsetIn(s, w);
    e.detail.parameters.unit = s.dataset.unit;
    if (start !== null) e.detail.parameters.start = String(start);
  });

  // ---- after a change (popup, "every new word is known", undo): repaint from the server's word
  document.addEventListener("htmx:afterSettle", (e) => {
    let changed = load();
    const ws = document.getElementById("word-status");
    if (ws && ws.dataset.word && statuses[ws.dataset.word] !== ws.dataset.status) {
      statuses[ws.dataset.word] = ws.dataset.status;
      changed = true;
    }
    if (changed) paint(reader);
    else if (e.detail.elt instanceof Element && reader.contains(e.detail.elt)) paint(e.detail.elt);
  });

  // ---- keys 1–4, k, i set the status of the word whose popup is open
  document.addEventListener("keydown", (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey || !STATUS_KEYS.has(e.key)) return;
    if (closest(e.target, "textarea, input, select, [contenteditable]")) return;
    // k on a sentence that does not hold the popup's word is the editor's "previous sentence"
    const opened = document.querySelector("#reader .w.open");
    if (e.key === "k" && e.target instanceof Element && e.target.matches(".t[data-unit]")
        && !(opened && e.target.contains(opened))) return;
    const button = document.querySelector(`#word-popup #word-status [data-status-key="${e.key}"]`);
    if (!button) return;
    e.preventDefault();
    e.stopPropagation(); // k is also "previous sentence" in the editor's keys
    if (window.htmx) htmx.process(button.form); // a popup swapped in a moment ago
    button.click();
  }, true);
})();
