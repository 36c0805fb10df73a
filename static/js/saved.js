// The offline page: list the documents this person's cache holds (titles from the saved pages).
(() => {
  "use strict";
  const list = document.getElementById("saved-documents");
  if (!list || !("caches" in window)) return;
  (async () => {
    const found = [];
    for (const name of await caches.keys()) {
      if (!name.startsWith("enface-user-")) continue;
      const cache = await caches.open(name);
      for (const request of await cache.keys()) {
        const url = new URL(request.url);
        if (!/^\/documents\/\d+$/.test(url.pathname)) continue;
        const text = await (await cache.match(request)).text();
        const title = (text.match(/<title>([^<]*)<\/title>/) || [, url.pathname])[1].replace(/ · Enface$/, "");
        found.push({ href: url.pathname, title: new DOMParser().parseFromString(title, "text/html").body.textContent });
      }
    }
    list.replaceChildren(...found.map(({ href, title }) => {
      const li = document.createElement("li");
      const a = document.createElement("a");
      a.href = href;
      a.textContent = title;
      li.append(a);
      return li;
    }));
    if (!found.length) list.innerHTML = '<li class="note">None yet: open a document while online and it is kept.</li>';
  })();
})();
