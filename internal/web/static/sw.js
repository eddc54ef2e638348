// The service worker of the visit pages (issue 16, point 5): served at
// /sw.js so that its scope is the whole site, it answers only the visit
// pages (a community's visits page and the queue's page) and their assets;
// every other request goes to the network untouched. A page is fetched from
// the network first and kept for when there is no connection; with none,
// the page last seen is answered (the same address, or the same page of
// another round, or the queue's page). It never answers a POST: the visits
// entered offline wait in IndexedDB (visits-offline.js).
"use strict";
var CACHE = "huanjie-visits-v1";
var ASSETS = ["/static/app.css", "/static/visits-offline.js"];

function isVisitPage(url) {
  return url.origin === self.location.origin &&
    (/^\/communities\/[^/]+\/visits$/.test(url.pathname) || url.pathname === "/visits/outbox");
}
function isAsset(url) {
  return url.origin === self.location.origin && ASSETS.indexOf(url.pathname) >= 0;
}

self.addEventListener("install", function (e) {
  e.waitUntil(caches.open(CACHE).then(function (c) {
    // The assets are public; the queue's page needs a session and is kept
    // when it is first opened.
    return c.addAll(ASSETS);
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (e) {
  e.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k !== CACHE; }).map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

function keep(req, resp) {
  // Only a page served as itself: not a redirect (to the login page), not a refusal.
  if (resp && resp.ok && !resp.redirected && resp.type === "basic") {
    var copy = resp.clone();
    caches.open(CACHE).then(function (c) { return c.put(req, copy); });
  }
  return resp;
}

function fallback(req, url) {
  return caches.open(CACHE).then(function (c) {
    return c.match(req).then(function (hit) {
      if (hit) { return hit; }
      return c.match(req, { ignoreSearch: true }).then(function (any) {
        if (any) { return any; }
        return c.match("/visits/outbox").then(function (q) {
          return q || new Response("<!doctype html><meta charset=utf-8><title>无法连接</title><p>没有网络连接,本页尚未在本机保存。", {
            status: 503, headers: { "Content-Type": "text/html; charset=utf-8" }
          });
        });
      });
    });
  });
}

self.addEventListener("fetch", function (e) {
  var req = e.request;
  if (req.method !== "GET") { return; }
  var url = new URL(req.url);
  if (isVisitPage(url)) {
    e.respondWith(fetch(req).then(function (r) { return keep(req, r); }, function () { return fallback(req, url); }));
  } else if (isAsset(url)) {
    e.respondWith(fetch(req).then(function (r) { return keep(req, r); }, function () {
      return caches.match(req, { ignoreSearch: true }).then(function (hit) { return hit || Response.error(); });
    }));
  }
});
