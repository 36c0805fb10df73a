// Enface reading aids: the word popup, pinyin ruby, reading views, text size, peeks, and adding
// a selection to the glossary. Settings live in the address (so a link keeps them) and in this
// browser's localStorage. Event delegation only: one listener per event type.
(() => {
  "use strict";
  const reader = document.getElementById("reader");
  if (!reader) return;
  const popup = document.getElementById("word-popup");
  const KEY = "enface.reading";
  const DEFAULTS = { view: "side", size: "m", pinyin: "0", tones: "0", script: reader.dataset.script || "py", mode: "read", leftout: "0" };
  const CHOICES = { view: ["side", "interleaved", "english", "source"], size: ["s", "m", "l", "xl"],
    pinyin: ["0", "1"], tones: ["0", "1"], script: ["py", "zy"], mode: ["read", "review"], leftout: ["0", "1"] };
  const doc = document.getElementById("doc") || reader;
  const docId = reader.dataset.document;
  const closest = (t, sel) => (t instanceof Element ? t.closest(sel) : null);

  // ---- settings: address first, then this browser, then defaults
  const stored = () => { try { return JSON.parse(localStorage.getItem(KEY) || "{}"); } catch { return {}; } };
  const settings = () => {
    const url = new URL(window.location.href);
    const saved = stored();
    const out = {};
    for (const k of Object.keys(DEFAULTS)) {
      const v = url.searchParams.get(k) ?? saved[k] ?? DEFAULTS[k];
      out[k] = CHOICES[k].includes(v) ? v : DEFAULTS[k];
    }
    return out;
  };
  const save = (s) => {
    try { localStorage.setItem(KEY, JSON.stringify(s)); } catch { /* private mode: address only */ }
    const url = new URL(window.location.href);
    for (const [k, v] of Object.entries(s)) {
      if (v === DEFAULTS[k]) url.searchParams.delete(k); else url.searchParams.set(k, v);
    }
    history.replaceState(null, "", url);
  };

  // ---- pinyin ruby: built per word on first need; hidden by CSS when the toggle is off
  const toneOf = (syl) => {
    const d = syl.normalize("NFD");
    if (d.includes("\u0304")) return 1; if (d.includes("\u0301") || d.includes("ˊ")) return 2;
    if (d.includes("\u030c") || d.includes("ˇ")) return 3; if (d.includes("\u0300") || d.includes("ˋ")) return 4;
    if (d.includes("˙")) return 5; return /[\u3105-\u312f]/.test(d) ? 1 : 5;
  };
  const rubify = (w, script) => {
    if (w.dataset.ruby === script) return;
    const chars = Array.from(w.dataset.text || w.textContent);
    w.dataset.text = chars.join("");
    const readings = ((script === "zy" && w.dataset.zy) || w.dataset.py || "").split(" ");
    // one ruby per character, so that CSS can give every character the same width
    w.replaceChildren(...chars.map((ch, i) => {
      const ruby = document.createElement("ruby");
      const span = document.createElement("span");
      span.textContent = ch;
      const r = readings[i] || "";
      if (r) span.className = `tone${toneOf(r)}`;
      const rt = document.createElement("rt");
      rt.textContent = r;
      ruby.append(span, rt);
      return ruby;
    }));
    w.dataset.ruby = script;
  };
  const rubifyAll = (root, script) => root.querySelectorAll(".w[data-py]").forEach((w) => rubify(w, script));
  const wordText = (w) => w.dataset.text || w.textContent;
  const plainText = (el) => {
    const copy = el.cloneNode(true);
    copy.querySelectorAll("rt").forEach((rt) => rt.remove());
    return copy.textContent;
  };

  const apply = (s) => {
    for (const v of CHOICES.view) reader.classList.toggle(`view-${v}`, s.view === v);
    // Read or Review: a class on #doc; other scripts follow it through the "enface:mode" event.
    if (doc.dataset.mode !== s.mode) {
      for (const m of CHOICES.mode) doc.classList.toggle(`mode-${m}`, s.mode === m);
      doc.dataset.mode = s.mode;
      document.dispatchEvent(new CustomEvent("enface:mode", { detail: { mode: s.mode } }));
    }
    reader.classList.toggle("show-pinyin", s.pinyin === "1");
    reader.classList.toggle("show-tones", s.tones === "1");
    reader.classList.toggle("show-left-out", s.leftout === "1");
    document.documentElement.dataset.size = s.size;
    if (s.pinyin === "1" || s.tones === "1") rubifyAll(reader, s.script);
    document.querySelectorAll("[data-reading]").forEach((input) => {
      const v = s[input.dataset.reading];
      if (input.type === "checkbox") input.checked = v === "1";
      else if (input.type === "radio") input.checked = input.value === v;
      else input.value = v;
    });
    reader.querySelectorAll(".s").forEach((el) => {
      if (s.view === "source") el.setAttribute("tabindex", "0"); else el.removeAttribute("tabindex");
    });
  };
  let current = settings();
  apply(current);
  save(current);

  document.addEventListener("change", (e) => {
    const input = closest(e.target, "[data-reading]");
    if (!input) return;
    current = { ...current, [input.dataset.reading]: input.type === "checkbox" ? (input.checked ? "1" : "0") : input.value };
    apply(current);
    save(current);
  });
  document.addEventListener("submit", (e) => { if (closest(e.target, "form.reading-tools, form.mode-form")) e.preventDefault(); });

  // ---- the tools disclosure: open on wide screens unless closed there before; kept per browser
  const tools = document.getElementById("doc-tools");
  const TOOLS = "enface.tools";
  if (tools) {
    let kept = null;
    try { kept = localStorage.getItem(TOOLS); } catch { /* private mode */ }
    tools.open = kept ? kept === "open" : window.matchMedia("(min-width: 721px)").matches;
    tools.addEventListener("toggle", () => {
      try { localStorage.setItem(TOOLS, tools.open ? "open" : "closed"); } catch { /* private mode */ }
    });
  }
  // New content swapped in by htmx (edits, progress) gets the same treatment.
  document.addEventListener("htmx:afterSettle", (e) => {
    if (current.pinyin === "1" || current.tones === "1") rubifyAll(e.detail.elt.parentNode || reader, current.script);
  });

  // ---- the word popup
  let opened = null; // the word whose popup is open
  let hoverTimer = null;
  const sheet = window.matchMedia("(max-width: 720px)"); // the popup is a bottom sheet (CSS)
  const placePopup = () => {
    if (!popup || !popup.firstElementChild) return;
    if (sheet.matches) { // keep the word visible above the sheet
      popup.style.left = ""; popup.style.top = "";
      const limit = window.innerHeight - popup.offsetHeight - 12;
      const r = opened ? opened.getBoundingClientRect() : null;
      if (r && r.bottom > limit) window.scrollBy({ top: r.bottom - limit + 12, behavior: "instant" });
      return;
    }
    if (!opened) { // a selection's lookup: in view, near the top
      popup.style.left = `${Math.max(8, (window.innerWidth - popup.offsetWidth) / 2) + window.scrollX}px`;
      popup.style.top = `${64 + window.scrollY}px`;
      return;
    }
    const r = opened.getBoundingClientRect();
    const col = (closest(opened, ".col") || reader).getBoundingClientRect();
    const width = Math.min(popup.offsetWidth || 400, window.innerWidth - 16);
    let left = Math.max(col.left, Math.min(r.left, col.right - width));
    left = Math.max(8, Math.min(left, window.innerWidth - width - 8));
    // Below the word, in the source column; where the English sits below the block (interleaved
    // view, narrow screens) the popup goes above the word instead.
    // Either way it stays inside the viewport: flipped when there is no room, clamped at last.
    const h = popup.offsetHeight;
    const stacked = current.view === "interleaved";
    const roomBelow = window.innerHeight - r.bottom - 8 >= h + 6;
    const roomAbove = r.top - 8 >= h + 6;
    const above = (stacked && roomAbove) || (!roomBelow && roomAbove);
    let top = above ? r.top - h - 6 : r.bottom + 6;
    top = Math.max(8, Math.min(top, window.innerHeight - h - 8));
    popup.style.left = `${left + window.scrollX}px`;
    popup.style.top = `${top + window.scrollY}px`;
  };
  let byKeyboard = false; // whether the popup was opened from a focused word
  const open = (w, query, keyboard = true) => {
    if (!window.htmx || !popup) return;
    if (opened) opened.classList.remove("open");
    opened = w;
    byKeyboard = keyboard && !!w;
    if (w) w.classList.add("open");
    const q = query || wordText(w);
    htmx.ajax("GET", `/words?q=${encodeURIComponent(q)}${docId ? `&document=${docId}` : ""}`,
      { source: popup, target: popup, swap: "innerHTML" });
  };
  const close = (refocus) => {
    if (!popup) return;
    popup.replaceChildren();
    if (opened) {
      opened.classList.remove("open");
      if (refocus && byKeyboard) opened.focus();
    }
    opened = null;
  };
  document.addEventListener("htmx:afterSwap", (e) => {
    if (e.detail.target !== popup) return;
    placePopup();
    const first = popup.querySelector("[data-autofocus]") || popup.querySelector("button, input, a");
    const keyboardUser = byKeyboard && opened && document.activeElement === opened;
    if (first && (keyboardUser || !opened)) first.focus({ preventScroll: true });
  });
  window.addEventListener("resize", placePopup);

  document.addEventListener("click", (e) => {
    if (closest(e.target, "#word-popup [data-close]")) { close(true); return; }
    const adder = closest(e.target, ".selection-add");
    if (adder) { open(null, adder.dataset.q); adder.remove(); return; }
    const w = closest(e.target, "#reader .w");
    if (w && !closest(e.target, "a")) {
      // The popup opens beside the word; the click still focuses (and so highlights) the
      // sentence's translation, as a click on the source always has. The click decides: the
      // pointer's hover, less than 700 ms old, opens nothing after it.
      clearTimeout(hoverTimer);
      open(w, null, false);
      return;
    }
    if (popup && !closest(e.target, "#word-popup")) close(false);
  }, true);
  document.addEventListener("mouseover", (e) => {
    const w = closest(e.target, "#reader .w");
    clearTimeout(hoverTimer);
    const busy = popup && popup.contains(document.activeElement); // typing in the popup
    // a hover never replaces a popup opened from the keyboard (asked for or shown), nor one
    // being typed in, whenever its timer ends
    const taken = () => (byKeyboard && opened) || (popup && popup.contains(document.activeElement));
    if (w && w !== opened && !busy) {
      hoverTimer = setTimeout(() => { if (!taken()) open(w, null, false); }, 700);
    }
  });
  document.addEventListener("mouseout", () => clearTimeout(hoverTimer));

  // ---- keyboard: w (from a sentence) enters its words; arrows move; Enter opens; Esc closes
  const wordsOf = (s) => Array.from(s.querySelectorAll(".w"));
  const focusWord = (w) => { if (w) { w.setAttribute("tabindex", "-1"); w.focus(); } };
  document.addEventListener("keydown", (e) => {
    clearTimeout(hoverTimer); // a key pressed: the pointer resting on a word opens nothing
    if (e.key === "Escape" && popup && popup.firstElementChild) { e.preventDefault(); close(true); return; }
    if (e.ctrlKey || e.metaKey || e.altKey || closest(e.target, "textarea, input, select")) return;
    const w = closest(e.target, "#reader .w");
    if (w) {
      const all = Array.from(reader.querySelectorAll(".w"));
      const i = all.indexOf(w);
      if (e.key === "ArrowRight" || e.key === "ArrowLeft") {
        e.preventDefault(); focusWord(all[i + (e.key === "ArrowRight" ? 1 : -1)]);
      } else if (e.key === "Enter" || e.key === " ") { e.preventDefault(); open(w); }
      return;
    }
    const t = closest(e.target, "#reader .t[data-unit], #reader .s[data-unit]");
    if (t && (e.key === "w" || (e.key === "Enter" && t.matches(".s")))) {
      const s = document.getElementById(`s-${t.dataset.unit}`);
      if (s && wordsOf(s).length) { e.preventDefault(); e.stopPropagation(); focusWord(wordsOf(s)[0]); }
    }
  }, true);

  // ---- peeks: English-only shows a sentence's source, source-only its English
  const peek = document.createElement("div");
  peek.className = "peek";
  peek.hidden = true;
  peek.setAttribute("role", "tooltip");
  document.body.append(peek);
  const showPeek = (el) => {
    const id = el.dataset.unit;
    const other = current.view === "english" ? document.getElementById(`s-${id}`)
      : current.view === "source" ? document.getElementById(`t-${id}`) : null;
    if (!other) { peek.hidden = true; return; }
    peek.textContent = plainText(other).trim();
    peek.classList.toggle("src-peek", current.view === "english");
    const r = el.getBoundingClientRect();
    peek.hidden = !peek.textContent;
    peek.style.left = `${Math.max(8, r.left) + window.scrollX}px`;
    peek.style.top = `${r.bottom + 4 + window.scrollY}px`;
  };
  for (const ev of ["mouseover", "focusin"]) {
    document.addEventListener(ev, (e) => {
      const el = closest(e.target, "#reader .s[data-unit], #reader .t[data-unit]");
      if (el && (current.view === "english" || current.view === "source")) showPeek(el);
      else if (!el) peek.hidden = true;
    });
  }

  // ---- "Add to glossary" from a selection in the source column
  document.addEventListener("mouseup", (e) => {
    // The button's own click must find it still there (removing it here lost the click).
    if (closest(e.target, ".selection-add, #word-popup")) return;
    document.querySelectorAll(".selection-add").forEach((b) => b.remove());
    const sel = window.getSelection();
    const text = sel ? sel.toString().trim() : "";
    if (!text || text.length > 64 || !sel.rangeCount) return;
    const node = sel.getRangeAt(0).commonAncestorContainer;
    if (!closest(node.nodeType === 1 ? node : node.parentElement, "#reader .src")) return;
    const r = sel.getRangeAt(0).getBoundingClientRect();
    const b = document.createElement("button");
    b.type = "button";
    b.className = "selection-add secondary";
    b.dataset.q = text.replace(/\s+/g, " ");
    b.textContent = "Look up / add to glossary";
    b.style.left = `${r.left + window.scrollX}px`;
    b.style.top = `${r.bottom + 4 + window.scrollY}px`;
    document.body.append(b);
  });

  // ---- glossary checks: show only sentences missing a term
  document.addEventListener("change", (e) => {
    if (!closest(e.target, "[data-terms-filter]")) return;
    reader.classList.toggle("only-terms", e.target.checked);
    const url = new URL(window.location.href);
    if (e.target.checked) url.searchParams.set("terms", "missing"); else url.searchParams.delete("terms");
    history.replaceState(null, "", url);
  });
})();
