// Enface Review mode: everything here hangs off data-mode="review" on #doc (reading.js). In
// Review mode sentences are shaded by risk (CSS), n / Shift+N go to the next / previous
// sentence to check, the queue's links focus their sentence, a sentence's findings are said
// when it is focused, the words the checks point at and the words the model was least sure of
// are marked (CSS Custom Highlight API: no change to the text; the sentences within a screen of
// the window, more as the reader scrolls), and hovering or focusing an
// English word highlights the source words it came from, and the reverse (side by side and
// interleaved views; the alignment is read from /api/units/<id>/alignment, stored by the
// worker). In plain reading none of it runs. Event delegation only.
(() => {
  "use strict";
  const reader = document.getElementById("reader");
  if (!reader) return;
  const body = document.body;
  const doc = document.getElementById("doc") || body;
  const highlights = "highlights" in CSS ? CSS.highlights : null;
  const closest = (t, sel) => (t instanceof Element ? t.closest(sel) : null);
  const reviewing = () => doc.dataset.mode === "review";
  const aligning = () => reviewing() && (reader.classList.contains("view-side")
    || reader.classList.contains("view-interleaved"));

  // ---- the mode is chosen by reading.js (Read / Review, kept in the address and this browser)
  // and set on #doc; the page's body follows it, for the styles keyed off the body.
  document.addEventListener("enface:mode", (e) => {
    body.dataset.mode = e.detail.mode;
    mark();
  });

  // ---- character offsets of an element's text (ruby readings and glossary notes left out)
  const textNodes = (el) => {
    const nodes = [];
    const walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT, {
      acceptNode: (n) => (closest(n.parentElement, "rt, .term-warn") ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
    });
    for (let n = walk.nextNode(); n; n = walk.nextNode()) nodes.push(n);
    return nodes;
  };
  const rangeOf = (el, start, end) => {
    if (!el || end <= start) return null;
    let at = 0;
    let range = null;
    for (const node of textNodes(el)) {
      const size = node.data.length;
      if (!range && start < at + size) { range = new Range(); range.setStart(node, start - at); }
      if (range && end <= at + size) { range.setEnd(node, end - at); return range; }
      at += size;
    }
    return null;
  };
  const offsetIn = (el, node, offset) => {
    let at = 0;
    for (const n of textNodes(el)) { if (n === node) return at + offset; at += n.data.length; }
    return -1;
  };
  const englishOf = (id) => document.querySelector(`#t-${CSS.escape(id)} .tx`);
  const sourceOf = (id) => document.getElementById(`s-${id}`);
  const review = (t) => { try { return JSON.parse(t.dataset.review || "{}"); } catch { return {}; } };

  // ---- marks: what the checks point at, and the least likely words
  const paint = (name, ranges) => {
    if (!highlights) return;
    const kept = ranges.filter(Boolean);
    if (kept.length) highlights.set(name, new Highlight(...kept)); else highlights.delete(name);
  };
  // Each sentence's ranges are kept until it is swapped or its words are wrapped, so a poll or
  // an edit recomputes only what changed (a 2,000-block page has thousands of marks).
  const marksOf = new WeakMap();
  const unitMarks = (t) => {
    const tx = t.querySelector(".tx");
    // (pinyin rebuilds the source's words: the reader's classes are part of the stamp)
    const stamp = `${t.dataset.revision}:${tx ? tx.dataset.words || "" : ""}:${t.dataset.review}:${reader.className}`;
    const kept = marksOf.get(t);
    if (kept && kept.stamp === stamp) return kept;
    const id = t.dataset.unit;
    const data = review(t);
    const flags = [];
    for (const [, , sources, targets] of data.c || []) {
      for (const [s, e] of sources) flags.push(rangeOf(sourceOf(id), s, e));
      for (const [s, e] of targets) flags.push(rangeOf(englishOf(id), s, e));
    }
    const doubts = (data.d || []).map(([s, e]) => rangeOf(englishOf(id), s, e));
    const made = { stamp, flags, doubts };
    marksOf.set(t, made);
    return made;
  };
  // Only sentences that have come within a screen of the window are marked (and stay marked):
  // working out the marks of a 2,000-block page at once made Review mode open 1.5x slower
  // than plain reading, for marks nobody could see yet.
  const near = new Set();
  const watched = new WeakSet();
  const watcher = "IntersectionObserver" in window ? new IntersectionObserver((entries) => {
    let more = false;
    for (const e of entries) {
      if (e.isIntersecting && !near.has(e.target)) { near.add(e.target); more = true; }
    }
    if (more) mark();
  }, { rootMargin: "100% 0px" }) : null;
  const watch = () => {
    if (!watcher || !reviewing()) return;
    reader.querySelectorAll(".t[data-review]").forEach((t) => {
      if (!watched.has(t)) { watched.add(t); watcher.observe(t); }
    });
  };
  const marked = () => {
    if (!watcher) return Array.from(reader.querySelectorAll(".t[data-review]"));
    for (const t of near) if (!t.isConnected) near.delete(t); // swapped by a poll or an edit
    return Array.from(near);
  };
  let marking = 0;
  function mark() {
    if (!highlights) return;
    watch();
    cancelAnimationFrame(marking);
    marking = requestAnimationFrame(() => {
      const flags = [];
      const doubts = [];
      if (reviewing()) {
        marked().forEach((t) => {
          const marks = unitMarks(t);
          flags.push(...marks.flags);
          doubts.push(...marks.doubts);
        });
      }
      paint("enface-flag", flags);
      paint("enface-doubt", doubts);
      if (!reviewing()) { paint("enface-align", []); say(null); }
    });
  }
  document.addEventListener("htmx:afterSettle", () => { if (reviewing()) mark(); });
  document.addEventListener("change", (e) => { if (reviewing() && closest(e.target, "[data-reading]")) mark(); });

  // ---- n / Shift+N: the next / previous sentence to check, in reading order
  const risky = () => Array.from(reader.querySelectorAll(".t[data-level]"))
    .filter((t) => t.offsetParent !== null || t.getClientRects().length);
  let last = null;
  const go = (t) => {
    if (!t) return;
    t.focus({ preventScroll: true });
    t.scrollIntoView({ block: "center" });
  };
  document.addEventListener("keydown", (e) => {
    if (!reviewing() || e.ctrlKey || e.metaKey || e.altKey) return;
    if (closest(e.target, "textarea, input, select, [contenteditable]")) return;
    if (e.key !== "n" && e.key !== "N") return;
    const all = risky();
    if (!all.length) return;
    e.preventDefault();
    const here = closest(document.activeElement, ".t[data-unit]") || last;
    const forward = e.key === "n";
    let next;
    if (!here || !here.isConnected) next = forward ? all[0] : all[all.length - 1];
    else {
      const after = (t) => here.compareDocumentPosition(t) & Node.DOCUMENT_POSITION_FOLLOWING;
      next = forward ? all.find((t) => t !== here && after(t)) : all.slice().reverse().find((t) => t !== here && !after(t));
      next = next || (forward ? all[0] : all[all.length - 1]); // round again
    }
    go(next);
  });
  document.addEventListener("click", (e) => {
    const link = closest(e.target, "#review-queue a[data-goto]");
    if (!link) return;
    const t = document.getElementById(`t-${link.dataset.goto}`);
    if (!t) return;
    e.preventDefault();
    go(t);
  });

  // ---- what the focused sentence's checks say
  const box = document.getElementById("review-finding");
  function say(t) {
    if (!box) return;
    if (!t || !reviewing() || !t.dataset.risk) { box.hidden = true; box.textContent = ""; return; }
    const checks = (review(t).c || []).map(([kind, message]) => `${kind}: ${message}`);
    box.textContent = [`Risk ${t.dataset.risk}`, ...(checks.length ? checks : ["no finding"])].join(" · ");
    box.hidden = false;
  }
  document.addEventListener("focusin", (e) => {
    const t = closest(e.target, "#reader .t[data-unit]");
    if (t) { last = t; say(t); }
  });

  // ---- word alignment: English word ⇄ source words
  const cache = new Map(); // "id:revision" → alignment JSON (or a pending promise)
  const alignmentOf = (t) => {
    const key = `${t.dataset.unit}:${t.dataset.revision}`;
    if (!cache.has(key)) {
      cache.set(key, fetch(`/api/units/${encodeURIComponent(t.dataset.unit)}/alignment`,
        { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then((r) => (r.ok ? r.json() : null)).catch(() => null)
        .then((data) => { cache.set(key, data); return data; }));
    }
    return Promise.resolve(cache.get(key));
  };
  // The English words become elements (focusable, hoverable) once a sentence is looked at.
  const wrap = (t, data) => {
    const tx = t.querySelector(".tx");
    if (!tx || !data || !data.words || !data.words.length || tx.dataset.words === t.dataset.revision) return tx;
    const text = tx.textContent;
    const parts = [];
    let at = 0;
    data.words.forEach(([s, e, p], k) => {
      if (s < at || e > text.length) return;
      if (s > at) parts.push(document.createTextNode(text.slice(at, s)));
      const w = document.createElement("span");
      w.className = "ew";
      w.tabIndex = -1;
      w.dataset.s = s; w.dataset.e = e; w.dataset.k = k;
      w.title = `the model's confidence: ${Math.round(p * 100)}%`;
      w.textContent = text.slice(s, e);
      parts.push(w);
      at = e;
    });
    if (at < text.length) parts.push(document.createTextNode(text.slice(at)));
    tx.replaceChildren(...parts);
    tx.dataset.words = t.dataset.revision;
    mark(); // the marks' ranges pointed at the text node just replaced
    return tx;
  };
  const linked = (data, side, start, end) => (data.links || []).filter((l) => (side === "english"
    ? l[0] < end && l[1] > start : l[2] < end && l[3] > start));
  const showFromEnglish = (t, data, s, e) => {
    const id = t.dataset.unit;
    const ranges = [rangeOf(englishOf(id), s, e)];
    for (const l of linked(data, "english", s, e)) ranges.push(rangeOf(sourceOf(id), l[2], l[3]));
    paint("enface-align", ranges);
  };
  const showFromSource = (id, data, s, e) => {
    const ranges = [rangeOf(sourceOf(id), s, e)];
    for (const l of linked(data, "source", s, e)) ranges.push(rangeOf(englishOf(id), l[0], l[1]));
    paint("enface-align", ranges);
  };
  const onEnglish = (el) => {
    const w = closest(el, ".ew");
    const t = closest(el, "#reader .t[data-unit]");
    if (!t || !aligning()) return;
    alignmentOf(t).then((data) => {
      if (!data) return;
      wrap(t, data);
      if (w && w.isConnected) showFromEnglish(t, data, Number(w.dataset.s), Number(w.dataset.e));
    });
  };
  const onSource = (s, node, offset) => {
    const id = s.dataset.unit;
    const t = document.getElementById(`t-${id}`);
    if (!t || !aligning()) return;
    let start;
    let end;
    const w = closest(node && node.nodeType === 1 ? node : node && node.parentElement, ".w");
    if (w && s.contains(w)) {
      const nodes = textNodes(w);
      if (!nodes.length) return;
      start = offsetIn(s, nodes[0], 0);
      end = start + nodes.reduce((n, x) => n + x.data.length, 0);
    } else if (node && node.nodeType === 3) {
      start = offsetIn(s, node, Math.min(offset, node.data.length - 1));
      end = start + 1;
    }
    if (start === undefined || start < 0) return;
    alignmentOf(t).then((data) => { if (data) { wrap(t, data); showFromSource(id, data, start, end); } });
  };
  document.addEventListener("mouseover", (e) => {
    if (!aligning()) return;
    if (closest(e.target, "#reader .t[data-unit]")) onEnglish(e.target);
    const s = closest(e.target, "#reader .s[data-unit]");
    if (s && closest(e.target, ".w")) onSource(s, e.target, 0);
  });
  let moving = 0;
  document.addEventListener("mousemove", (e) => { // a source without word marks: the character under the pointer
    if (!aligning() || closest(e.target, ".w") || !closest(e.target, "#reader .s[data-unit]")) return;
    cancelAnimationFrame(moving);
    moving = requestAnimationFrame(() => {
      const s = closest(e.target, "#reader .s[data-unit]");
      const caret = document.caretRangeFromPoint ? document.caretRangeFromPoint(e.clientX, e.clientY) : null;
      if (s && caret && s.contains(caret.startContainer)) onSource(s, caret.startContainer, caret.startOffset);
    });
  });
  document.addEventListener("mouseout", (e) => {
    if (closest(e.target, "#reader .ew, #reader .s[data-unit]") && !closest(e.relatedTarget, "#reader .ew, #reader .w")) paint("enface-align", []);
  });
  document.addEventListener("focusin", (e) => {
    if (closest(e.target, "#reader .ew")) onEnglish(e.target);
    else if (closest(e.target, "#reader .w")) onSource(closest(e.target, ".s[data-unit]"), e.target, 0);
  });
  // e (on a sentence): walk its English words with ← / →; Esc goes back to the sentence.
  document.addEventListener("keydown", (e) => {
    if (!aligning() || e.ctrlKey || e.metaKey || e.altKey) return;
    const w = closest(e.target, "#reader .ew");
    if (w) {
      const words = Array.from(w.parentElement.querySelectorAll(".ew"));
      const i = words.indexOf(w);
      if (e.key === "ArrowRight" || e.key === "ArrowLeft") {
        e.preventDefault();
        const next = words[i + (e.key === "ArrowRight" ? 1 : -1)];
        if (next) next.focus();
      } else if (e.key === "Escape") {
        e.preventDefault();
        paint("enface-align", []);
        closest(w, ".t[data-unit]").focus();
      }
      return;
    }
    const t = closest(e.target, "#reader .t[data-unit]");
    if (t && e.key === "e" && document.activeElement === t) {
      e.preventDefault();
      alignmentOf(t).then((data) => {
        const tx = wrap(t, data);
        const first = tx && tx.querySelector(".ew");
        if (first) first.focus();
      });
    }
  }, true);

  // ---- reading.js may have chosen the mode before this script ran
  body.dataset.mode = doc.dataset.mode || "read";
  if (reviewing()) mark();
})();
