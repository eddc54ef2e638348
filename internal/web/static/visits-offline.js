// Offline entry of visits (issue 16, point 5). On a community's visits page
// the form is saved first in the phone's IndexedDB, each entry with its own
// client id (a random UUID made here), then sent with POST /api/v1/visits;
// what cannot be sent waits and is sent when the connection returns (the
// online event, and every load of a visit page). An entry is deleted only
// when the server stored it (2xx: the same id again stores nothing more) or
// when its author discards it; a refusal (4xx with a field and a Chinese
// message) is kept, marked, and shown with its reason until it is fixed or
// discarded. The queue's page (/visits/outbox) lists what waits. Without
// JavaScript the form posts as before. No inline script: the CSP allows
// scripts from the platform only.
(function () {
  "use strict";
  if (!window.indexedDB || !window.fetch) { return; }

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js").catch(function () {});
  }

  var DB = "huanjie-visits", STORE = "queue";
  function open() {
    return new Promise(function (ok, fail) {
      var req = indexedDB.open(DB, 1);
      req.onupgradeneeded = function () { req.result.createObjectStore(STORE, { keyPath: "client_id" }); };
      req.onsuccess = function () { ok(req.result); };
      req.onerror = function () { fail(req.error); };
    });
  }
  function tx(mode, fn) {
    return open().then(function (db) {
      return new Promise(function (ok, fail) {
        var t = db.transaction(STORE, mode), out;
        out = fn(t.objectStore(STORE));
        t.oncomplete = function () { db.close(); ok(out && "result" in out ? out.result : undefined); };
        t.onerror = function () { db.close(); fail(t.error); };
        t.onabort = function () { db.close(); fail(t.error); };
      });
    });
  }
  function all() { return tx("readonly", function (s) { return s.getAll(); }); }
  function put(e) { return tx("readwrite", function (s) { s.put(e); }); }
  function del(id) { return tx("readwrite", function (s) { s["delete"](id); }); }
  function get(id) { return tx("readonly", function (s) { return s.get(id); }); }

  function uuid() {
    if (crypto.randomUUID) { return crypto.randomUUID(); }
    var b = crypto.getRandomValues(new Uint8Array(16)), h = [];
    b[6] = b[6] & 0x0f | 0x40; b[8] = b[8] & 0x3f | 0x80;
    for (var i = 0; i < 16; i++) { h.push((b[i] + 0x100).toString(16).slice(1)); }
    return h.slice(0, 4).join("") + "-" + h.slice(4, 6).join("") + "-" + h.slice(6, 8).join("") + "-" + h.slice(8, 10).join("") + "-" + h.slice(10).join("");
  }

  var root = document.querySelector("[data-visits-user]");
  var user = root ? root.getAttribute("data-visits-user") : "";
  var status = document.querySelector("[data-testid=outbox-status]");
  function say(msg) { if (status) { status.textContent = msg; } }

  // The body of POST /api/v1/visits from the page's form.
  function bodyOf(form, id) {
    var fd = new FormData(form), b = { client_id: id, community: form.getAttribute("data-community") };
    function s(n) { var v = fd.get(n); return v === null ? "" : String(v).trim(); }
    b.round = s("round");
    var t = s("target").split(":"), n = Number(t[1]) || 0;
    if (t[0] === "h") { b.household_id = n; } else if (t[0] === "p") { b.person_id = n; } else if (t[0] === "m") { b.member_id = n; }
    b.address = s("address");
    b.visitors = s("visitors").split(/[、,,;;\s]+/).filter(Boolean);
    b.visited_on = s("visited_on");
    b.method = s("method");
    b.missed = fd.has("missed");
    b.activity_id = Number(s("activity_id")) || 0;
    ["committee_opinions", "aspirant_opinions", "intention", "topics", "difficulties", "help", "proposals"].forEach(function (k) { b[k] = s(k); });
    if (s("problems[0].text")) {
      b.problems = [{ category: s("problems[0].category"), urgency: s("problems[0].urgency"), text: s("problems[0].text"),
        follow_up: fd.has("problems[0].follow_up"), owner: s("problems[0].owner"), due: s("problems[0].due") }];
    }
    return b;
  }
  function fieldsOf(form) {
    var out = [];
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.name === "client_id" || el.type === "submit") { return; }
      if (el.type === "checkbox") { out.push([el.name, el.checked ? "on" : ""]); } else { out.push([el.name, el.value]); }
    });
    return out;
  }
  function labelOf(form, b) {
    var sel = form.querySelector("select[name=target]");
    if (sel && sel.value) { return sel.options[sel.selectedIndex].textContent; }
    return b.address || "未选择走访对象";
  }

  // send posts one entry: "stored" (deleted), "refused" (kept, marked),
  // "login" (the session ended: kept), or "offline" (kept).
  function send(e) {
    return fetch("/api/v1/visits", {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: JSON.stringify(e.body)
    }).then(function (r) {
      if (r.ok) {
        return r.json().then(function (v) { return del(e.client_id).then(function () { e.stored = v; return "stored"; }); },
          function () { return del(e.client_id).then(function () { return "stored"; }); });
      }
      if (r.status === 401) { return "login"; }
      if (r.status >= 400 && r.status < 500 && r.status !== 408 && r.status !== 429) {
        return r.json().then(function (j) { return j && j.error; }, function () { return null; }).then(function (err) {
          e.state = "refused";
          e.reason = (err && err.message) || "服务器拒绝了这条记录";
          e.field = (err && err.field) || "";
          return put(e).then(function () { return "refused"; });
        });
      }
      return "offline";
    }, function () { return "offline"; });
  }

  var syncing = null;
  // sync sends every waiting entry of this user, one at a time, in the
  // order they were made; it stops at the first that cannot be sent.
  function sync() {
    if (syncing) { return syncing; }
    syncing = all().then(function (list) {
      list = list.filter(function (e) { return e.user === user && e.state !== "refused"; })
        .sort(function (a, b) { return a.made < b.made ? -1 : 1; });
      var sent = 0, res = "done";
      function next(i) {
        if (i >= list.length) { return Promise.resolve(); }
        return send(list[i]).then(function (r) {
          if (r === "stored") { sent++; }
          if (r === "offline" || r === "login") { res = r; return; }
          return next(i + 1);
        });
      }
      return next(0).then(function () { return { sent: sent, result: res }; });
    }).then(function (out) { syncing = null; return out; }, function (err) { syncing = null; throw err; });
    return syncing;
  }

  function count() {
    return all().then(function (list) {
      var w = 0, r = 0;
      list.forEach(function (e) { if (e.user === user) { if (e.state === "refused") { r++; } else { w++; } } });
      return { waiting: w, refused: r };
    });
  }
  function report(out) {
    return count().then(function (c) {
      var parts = [];
      if (out && out.sent) { parts.push("已上传 " + out.sent + " 条走访记录。"); }
      if (c.waiting) { parts.push("本机有 " + c.waiting + " 条走访记录等待上传" + (out && out.result === "login" ? ",请重新登录后上传。" : ",联网后自动上传。")); }
      if (c.refused) { parts.push("有 " + c.refused + " 条被退回,请到“待上传的走访”修改或放弃。"); }
      say(parts.join(""));
      if (document.querySelector("[data-testid=outbox]")) { drawOutbox(); }
      return c;
    });
  }
  function syncAndReport() { return sync().then(report, function () { return report(null); }); }

  // The community's visits page: the form is kept on the phone first.
  var form = document.querySelector("form[data-offline]");
  if (form && user) {
    var idField = form.querySelector("input[name=client_id]");
    idField.value = uuid();
    var fix = /^#fix=(.+)$/.exec(location.hash);
    if (fix) {
      get(decodeURIComponent(fix[1])).then(function (e) {
        if (!e || e.user !== user) { return; }
        form.setAttribute("data-fix", e.client_id);
        e.fields.forEach(function (f) {
          var el = form.elements.namedItem(f[0]);
          if (!el) { return; }
          if (el.type === "checkbox") { el.checked = f[1] === "on"; } else { el.value = f[1]; }
        });
        say("正在修改被退回的记录:" + e.reason);
      });
    }
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var id = idField.value, b = bodyOf(form, id);
      var e = { client_id: id, user: user, made: new Date().toISOString(), community: b.community,
        community_name: form.getAttribute("data-community-name"), round: b.round, label: labelOf(form, b),
        day: b.visited_on, body: b, fields: fieldsOf(form), state: "waiting" };
      var old = form.getAttribute("data-fix");
      put(e).then(function () { return old && old !== id ? del(old) : null; }).then(function () {
        form.removeAttribute("data-fix");
        return send(e);
      }).then(function (r) {
        if (r === "stored" && e.stored && e.stored.id) {
          location.href = "/visits/" + e.stored.id;
          return;
        }
        if (r === "refused") {
          form.setAttribute("data-fix", id);
          idField.value = uuid();
          say("这条走访记录被退回:" + e.reason + "(已保存在本机,修改后再保存,或到“待上传的走访”放弃)");
          var el = e.field && form.elements.namedItem(e.field === "household_id" || e.field === "person_id" || e.field === "member_id" ? "target" : e.field);
          if (el && el.focus) { el.focus(); }
          return;
        }
        form.reset();
        idField.value = uuid();
        return report({ sent: 0, result: r }).then(function () {
          say("已保存在本机。" + (status ? status.textContent : ""));
        });
      }, function () { say("无法保存在本机,请不要关闭页面,稍后再试。"); });
    });
  }

  // The queue's page.
  function drawOutbox() {
    var box = document.querySelector("[data-testid=outbox]");
    return all().then(function (list) {
      list = list.filter(function (e) { return e.user === user; }).sort(function (a, b) { return a.made < b.made ? -1 : 1; });
      box.textContent = "";
      var empty = document.querySelector("[data-testid=outbox-empty]");
      if (empty) { empty.hidden = list.length > 0; }
      list.forEach(function (e) {
        var li = document.createElement("li");
        li.className = "outbox-item" + (e.state === "refused" ? " refused" : "");
        li.setAttribute("data-client-id", e.client_id);
        var h = document.createElement("p");
        h.textContent = (e.community_name || e.community) + " · " + e.day + " · " + e.label;
        li.appendChild(h);
        var st = document.createElement("p");
        st.setAttribute("data-testid", "outbox-state");
        st.className = e.state === "refused" ? "error" : "hint";
        st.textContent = e.state === "refused" ? "被退回:" + e.reason : "等待上传";
        li.appendChild(st);
        if (e.state === "refused") {
          var p = document.createElement("p");
          p.className = "actions";
          var a = document.createElement("a");
          a.href = "/communities/" + encodeURIComponent(e.community) + "/visits?round=" + encodeURIComponent(e.round) + "#fix=" + encodeURIComponent(e.client_id);
          a.textContent = "修改后重新保存";
          p.appendChild(a);
          var btn = document.createElement("button");
          btn.type = "button";
          btn.className = "danger";
          btn.textContent = "放弃这条记录";
          btn.addEventListener("click", function () {
            if (window.confirm("放弃后这条走访记录将从本机删除,不能恢复。确定放弃吗?")) { del(e.client_id).then(function () { return report(null); }); }
          });
          p.appendChild(document.createTextNode(" "));
          p.appendChild(btn);
          li.appendChild(p);
        }
        box.appendChild(li);
      });
    });
  }

  if (form || document.querySelector("[data-testid=outbox]")) {
    window.addEventListener("online", syncAndReport);
    syncAndReport();
    var again = document.querySelector("[data-testid=outbox-sync]");
    if (again) { again.hidden = false; again.addEventListener("click", syncAndReport); }
  }
})();
