// The window the bookmarklet opens (templates/send.html): say "ready" to the page that opened
// it, take the one page it hands over (from that window only, and only if the page's address is
// on the origin that sent it), show what it is, and let the person import it.
(() => {
  "use strict";
  const form = document.getElementById("send-form");
  if (!form || form.dataset.sent) return;
  const status = document.getElementById("send-status");
  const limit = Number(form.dataset.limit || 0);
  const say = (text) => { status.textContent = text; };
  if (!window.opener) { say("Open this window with the Enface bookmarklet, on the page you want to read."); return; }
  window.addEventListener("message", (e) => {
    const page = e.data;
    if (e.source !== window.opener || !page || page.type !== "enface:page") return;
    if (typeof page.html !== "string" || typeof page.url !== "string") return;
    let url;
    try { url = new URL(page.url); } catch { say("The page sent no usable address."); return; }
    if (url.origin !== e.origin) { say(`Refused: the page came from ${e.origin} but gave the address ${url.origin}.`); return; }
    const bytes = new Blob([page.html]).size;
    if (limit && bytes > limit) { say(`This page is ${(bytes / 1048576).toFixed(1)} MB, over the import limit of ${(limit / 1048576).toFixed(0)} MB.`); return; }
    form.elements.html.value = page.html;
    form.elements.url.value = page.url;
    document.getElementById("send-title").textContent = page.title || url.href;
    document.getElementById("send-from").textContent = `${url.host} · ${Math.ceil(bytes / 1024)} KB`;
    document.getElementById("send-what").hidden = false;
    const button = form.querySelector("button[type=submit]");
    button.disabled = false;
    button.focus();
    say("Import it to read it here, side by side with its English.");
  });
  window.opener.postMessage("enface:ready", "*"); // says nothing but "ready"
  form.addEventListener("submit", () => { say("Importing…"); form.querySelector("button[type=submit]").disabled = true; });
})();
