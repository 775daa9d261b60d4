/* Xieshang service worker (served by xieshang.core.pwa at /sw.js, scope "/"). */
"use strict";
const CONFIG = {{ config|safe }};
const SHELL = "xs-shell-" + CONFIG.version;
const PAGES = "xs-pages";
const DRAFT_PAGES = CONFIG.draftPages.map((p) => new RegExp(p));

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(SHELL)
      .then((cache) => cache.addAll([...CONFIG.shell, CONFIG.offline]))
      .then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith("xs-shell-") && k !== SHELL)
                                      .map((k) => caches.delete(k))))
      .then(() => self.clients.claim()));
});

self.addEventListener("message", (event) => {
  // pwa.js asks for this at logout: nothing of the user's stays on the device.
  if (event.data === "forget-pages") {
    event.waitUntil(caches.delete(PAGES));
  }
});

function isDraftPage(url) {
  return DRAFT_PAGES.some((re) => re.test(url.pathname));
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith(CONFIG.staticPrefix)) {
    event.respondWith(
      caches.match(request).then((hit) => hit || fetch(request).then((response) => {
        if (response.ok) {
          const copy = response.clone();
          caches.open(SHELL).then((cache) => cache.put(request, copy));
        }
        return response;
      })));
    return;
  }
  if (request.mode !== "navigate") return;
  event.respondWith(
    fetch(request).then((response) => {
      if (response.ok && !response.redirected && isDraftPage(url)) {
        const copy = response.clone();
        caches.open(PAGES).then((cache) => cache.put(request, copy));
      }
      return response;
    }).catch(() => caches.match(request, {cacheName: PAGES})
      .then((hit) => hit || caches.match(CONFIG.offline))));
});
