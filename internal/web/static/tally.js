// The projector's page of a station's 唱票 (/count-units/{id}/screen):
// every two seconds it reads the totals from the page's data-tally-src and
// writes them into the elements named by data-k; a new name written in
// reloads the page, which draws its row. No inline script: the page's CSP
// allows scripts from the platform only.
(function () {
  "use strict";
  var root = document.querySelector("[data-tally-src]");
  if (!root) { return; }
  var src = root.getAttribute("data-tally-src");
  var writeIns = Number(root.getAttribute("data-write-ins"));
  function text(v) { return v === null || v === undefined ? "" : String(v); }
  function set(key, v) {
    var el = root.querySelector('[data-k="' + key + '"]');
    if (el && el.textContent !== text(v)) { el.textContent = text(v); }
  }
  function update() {
    fetch(src, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error(String(r.status)); } return r.json(); })
      .then(function (t) {
        var c = t.count || {};
        if ((c.write_ins || []).length !== writeIns) { location.reload(); return; }
        set("read", t.unit && t.unit.tally_read);
        set("valid", c.valid_ballots);
        set("invalid", c.invalid_ballots);
        (c.lines || []).forEach(function (l, i) {
          set("lines." + i + ".yes", l.yes);
          set("lines." + i + ".no", l.no);
          set("lines." + i + ".abstain", l.abstain);
        });
        (c.write_ins || []).forEach(function (w, i) { set("write_ins." + i + ".yes", w.yes); });
        set("updated", "已更新:" + new Date().toLocaleTimeString("zh-CN"));
      })
      .catch(function () { set("updated", "暂时无法更新,稍后重试"); });
  }
  setInterval(update, 2000);
})();
