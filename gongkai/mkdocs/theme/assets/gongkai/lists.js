/* gongkai: published lists (公示名单、双公示、名录). The pages work without JavaScript: every page of a list is a
   static table with links to the other pages. Here, with the reader's date, a list or record whose 公示期 is over is
   hidden (a page built before the end date says so instead), and the filter form searches the whole list, read from
   data/lists/ID.js (a <script>, so it works from file:// too). */
(function () {
  "use strict";
  function today() {
    if (window.gongkai && window.gongkai.today) return window.gongkai.today();
    var d = new Date(), m = d.getMonth() + 1, day = d.getDate();
    return d.getFullYear() + "-" + (m < 10 ? "0" + m : m) + "-" + (day < 10 ? "0" + day : day);
  }
  function over(until, now) { return !!until && now > until; }

  function hideEnded(now) {
    // the list pages
    var lists = document.querySelectorAll("[data-gk-list][data-gk-until]");
    for (var i = 0; i < lists.length; i++) {
      if (!over(lists[i].getAttribute("data-gk-until"), now)) continue;
      var body = lists[i].querySelector("[data-gk-list-body]");
      if (body) { body.innerHTML = ""; body.hidden = true; }  // gone from the page, not only from sight
      var ended = lists[i].querySelector("[data-gk-ended]");
      if (ended) ended.hidden = false;
      lists[i].setAttribute("data-gk-state", "ended");
    }
    // the column page's entries
    var groups = document.querySelectorAll("[data-gk-lists]");
    for (var g = 0; g < groups.length; g++) {
      var items = groups[g].querySelectorAll("[data-gk-until]"), left = 0;
      for (var k = 0; k < items.length; k++) {
        if (over(items[k].getAttribute("data-gk-until"), now)) items[k].parentNode.removeChild(items[k]);
      }
      left = groups[g].querySelectorAll("li").length;
      if (!left) {
        groups[g].hidden = true;
        var none = groups[g].parentNode.querySelector("[data-gk-lists-none]");
        if (none) none.hidden = false;
      }
    }
    // records past their own term (行政处罚): removed from the static table
    var rows = document.querySelectorAll("tr[data-gk-until]");
    for (var r = 0; r < rows.length; r++) {
      if (over(rows[r].getAttribute("data-gk-until"), now)) rows[r].parentNode.removeChild(rows[r]);
    }
  }

  function cell(label, text) {
    var td = document.createElement("td");
    td.setAttribute("data-label", label);
    td.textContent = text;
    return td;
  }

  function setupFilter(box, now) {
    var id = box.getAttribute("data-gk-list");
    var data = window.gongkaiLists && window.gongkaiLists[id];
    var form = box.querySelector("[data-gk-list-form]");
    if (!data || !form || box.getAttribute("data-gk-state") === "ended") return;
    var fields = data.fields, n = fields.length;
    var rows = [];
    for (var i = 0; i < data.rows.length; i++) {
      var until = data.rows[i][n];
      if (!over(until, now)) rows.push({ no: i + 1, v: data.rows[i] });
    }
    var table = box.querySelector("[data-gk-list-table]"), tbody = table.tBodies[0];
    var original = tbody.cloneNode(true);
    var pager = box.querySelector("[data-gk-pager]");
    var status = box.querySelector("[data-gk-list-status]"), originalStatus = status.textContent;
    var none = box.querySelector("[data-gk-list-none]");
    var q = form.querySelector("input[name=q]");
    var selects = form.querySelectorAll("select[data-gk-col]");
    var own = document.createElement("nav");
    own.className = "gk-pager";
    own.setAttribute("aria-label", "筛选结果分页");
    own.hidden = true;
    table.parentNode.insertBefore(own, none.nextSibling);
    var matches = [], page = 1;

    function active() {
      if (q && q.value.replace(/\s+/g, "")) return true;
      for (var s = 0; s < selects.length; s++) if (selects[s].value) return true;
      return false;
    }
    function keep(row) {
      var words = q ? q.value.split(/\s+/) : [];
      for (var w = 0; w < words.length; w++) {
        if (!words[w]) continue;
        var hit = false;
        for (var c = 0; c < n; c++) if (fields[c].s && row.v[c].indexOf(words[w]) >= 0) { hit = true; break; }
        if (!hit) return false;
      }
      for (var s = 0; s < selects.length; s++) {
        var want = selects[s].value;
        if (!want) continue;
        var col = +selects[s].getAttribute("data-gk-col"), value = row.v[col];
        if (selects[s].hasAttribute("data-gk-month") ? value.slice(0, 7) !== want : value !== want) return false;
      }
      return true;
    }
    function button(label, target) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = "gk-button";
      b.textContent = label;
      b.addEventListener("click", function () { page = target; render(); table.scrollIntoView(); });
      return b;
    }
    function render() {
      var pages = Math.max(1, Math.ceil(matches.length / data.size));
      if (page > pages) page = pages;
      var body = document.createElement("tbody");
      var start = (page - 1) * data.size, end = Math.min(matches.length, start + data.size);
      for (var i = start; i < end; i++) {
        var tr = document.createElement("tr");
        tr.appendChild(cell("序号", String(matches[i].no)));
        for (var c = 0; c < n; c++) tr.appendChild(cell(fields[c].n, matches[i].v[c]));
        body.appendChild(tr);
      }
      table.replaceChild(body, tbody);
      tbody = body;
      none.hidden = matches.length > 0;
      table.hidden = matches.length === 0;
      status.textContent = "共 " + matches.length + " 条符合条件" + (pages > 1 ? "，第 " + page + " / " + pages + " 页" : "");
      own.innerHTML = "";
      if (pages > 1) {
        if (page > 1) own.appendChild(button("上一页", page - 1));
        var at = document.createElement("span");
        at.textContent = " 第 " + page + " / " + pages + " 页 ";
        own.appendChild(at);
        if (page < pages) own.appendChild(button("下一页", page + 1));
      }
      own.hidden = pages <= 1;
    }
    function update() {
      if (!active()) {
        table.replaceChild(original.cloneNode(true), tbody);
        tbody = table.tBodies[0];
        table.hidden = false;
        none.hidden = true;
        own.hidden = true;
        if (pager) pager.hidden = false;
        status.textContent = originalStatus;
        return;
      }
      matches = [];
      for (var i = 0; i < rows.length; i++) if (keep(rows[i])) matches.push(rows[i]);
      page = 1;
      if (pager) pager.hidden = true;
      render();
    }
    form.hidden = false;
    form.addEventListener("input", update);
    form.addEventListener("change", update);
    form.addEventListener("submit", function (e) { e.preventDefault(); update(); });
    form.addEventListener("reset", function () { setTimeout(update, 0); });
  }

  function start() {
    var now = today();
    hideEnded(now);
    var boxes = document.querySelectorAll("[data-gk-list]");
    for (var i = 0; i < boxes.length; i++) setupFilter(boxes[i], now);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
