/* gongkai: the 政策文件 lists — facets (发布机构, 发布年份, 主题分类, 有效性, 政策解读) and a search box of their own.
 *
 * The page shows the rows in its HTML: all of them on a small site; on a large one (data-gk-paged) the first page of
 * each list, the rest being static pages (normative-2.html …) for readers without JavaScript. Here the rows of a
 * large site come in chunks (_rows/normative-1.js …): scripts calling gkPolicyRows, loaded with <script src> like
 * the search index, so file:// works too (Chromium refuses fetch() of file:// addresses). 「显示更多」 loads the
 * chunk it needs; a filter or a search loads them all, and works over every row. Rows built from a chunk have the
 * markup of the page's own rows (policyrow in _doctable.html). The filter state lives in the URL hash
 * (#year=2024&q=…), so a filtered view can be shared. Validity is the reader's own: computed with today's date.
 */
(function () {
  "use strict";
  var root = document.querySelector("[data-gk-policies]");
  if (!root) return;
  var gk = window.gongkai || {};
  var form = root.querySelector("form.gk-pfilter");
  var cfg = null;
  var dataEl = root.querySelector("script[data-gk-pdata]");
  try { cfg = dataEl ? JSON.parse(dataEl.textContent) : null; } catch (e) { cfg = null; }
  var PAGE = cfg ? cfg.size : 100;
  var ALL_KEYS = ["publisher", "year", "topic", "validity", "form"];
  var ANY_FORM = "*";
  var LABELS = gk.validityLabels || {};
  var DOCS = root.getAttribute("data-gk-docs") || "";
  // Brackets and spaces are ignored, so 示民规〔2024〕3号, 示民规[2024]3号 and 示民规 2024 3号 all match.
  var STRIP = /[\s\[\]()〔〕【】〈〉《》「」<>{}［］（）]/g;
  var NOW = gk.today ? gk.today() : new Date().toISOString().slice(0, 10);

  function norm(s) {
    return (s.normalize ? s.normalize("NFKC") : s).toLowerCase().replace(STRIP, "");
  }
  function text(el) { return el ? el.textContent : ""; }
  function make(tag, cls, content) {
    var el = document.createElement(tag);
    if (cls) el.className = cls;
    if (content !== undefined) el.textContent = content;
    return el;
  }

  // 1. Rows: those in the page, read from their cells; those of a chunk, from its data.
  if (gk.refreshValidity) gk.refreshValidity(root);  // the badges with the reader's date, before they are read
  function fromRow(tr) {
    var c0 = tr.cells[0], idx = c0.querySelector(".gk-i"), pub = c0.querySelector(".gk-p");
    var time = tr.cells[2].firstElementChild, badge = tr.querySelector("[data-gk-validity]");
    var state = "";
    if (badge) state = badge.getAttribute("data-gk-state") || (badge.className.match(/gk-badge--(\w+)/) || [])[1] || "";
    var forms = [], links = c0.querySelectorAll(".gk-jd a");
    for (var j = 0; j < links.length; j++) forms.push(links[j].getAttribute("data-form") || "");
    return {
      el: tr,
      key: norm(text(c0.firstElementChild) + "|" + text(tr.cells[1]) + "|" + text(idx)),
      publisher: text(pub),
      year: time ? time.getAttribute("datetime").slice(0, 4) : "",
      topic: tr.getAttribute("data-t") || "",
      validity: state,
      forms: forms
    };
  }
  // d: [id, title, 文号, 索引号, publisher#, date, topic#, validity ([status, effective, expires] or 0), 解读 ([[id, form]…] or 0)]
  function fromData(d) {
    var v = d[7], forms = [];
    if (d[8]) for (var j = 0; j < d[8].length; j++) forms.push(d[8][j][1]);
    return {
      el: null, d: d,
      key: norm(d[1] + "|" + d[2] + "|" + d[3]),
      publisher: cfg.publishers[d[4]],
      year: d[5].slice(0, 4),
      topic: cfg.topics[d[6]],
      validity: v && gk.validityState ? gk.validityState(v[0], v[1], v[2], NOW) : "",
      forms: forms
    };
  }
  // the markup of policyrow (_doctable.html), built with textContent only
  function rowElement(list, it) {
    var d = it.d, tr = make("tr"), td = make("td", "gk-col-title"), a = make("a", "", d[1]);
    tr.setAttribute("data-t", it.topic);
    a.setAttribute("href", DOCS + d[0] + ".html");
    td.appendChild(a);
    var meta = make("small", "gk-rowmeta");
    meta.appendChild(make("span", "gk-i", d[3]));
    meta.appendChild(document.createTextNode(" "));
    meta.appendChild(make("span", "gk-p", it.publisher));
    if (d[8]) {
      meta.appendChild(document.createTextNode(" "));
      var jd = make("span", "gk-jd", "解读：");
      for (var j = 0; j < d[8].length; j++) {
        if (j) jd.appendChild(document.createTextNode("、"));
        var link = make("a", "", d[8][j][1] || "查看");
        link.setAttribute("href", DOCS + d[8][j][0] + ".html");
        link.setAttribute("data-form", d[8][j][1]);
        jd.appendChild(link);
      }
      meta.appendChild(jd);
    }
    td.appendChild(meta);
    tr.appendChild(td);
    tr.appendChild(make("td", "gk-col-no", d[2]));
    var date = make("td", "gk-col-date"), time = make("time", "", d[5]);
    time.setAttribute("datetime", d[5]);
    date.appendChild(time);
    tr.appendChild(date);
    if (list.withValidity) {
      var cell = make("td", "gk-col-v"), v = d[7];
      if (v) {
        var badge = make("span", "gk-badge gk-badge--" + it.validity, LABELS[it.validity] || "");
        badge.setAttribute("data-gk-validity", "");
        if (v[0]) badge.setAttribute("data-status", v[0]);
        if (v[1]) badge.setAttribute("data-effective", v[1]);
        if (v[2]) badge.setAttribute("data-expires", v[2]);
        badge.setAttribute("data-gk-state", it.validity);
        cell.appendChild(badge);
      }
      tr.appendChild(cell);
    }
    return tr;
  }
  function element(list, it) {
    if (!it.el) it.el = rowElement(list, it);
    return it.el;
  }

  var lists = [];
  var sections = root.querySelectorAll("[data-gk-plist]");
  for (var s = 0; s < sections.length; s++) {
    var section = sections[s], table = section.querySelector("table.gk-policytable");
    if (!table || !table.tBodies.length) continue;  // an empty list: 暂无…
    var key = section.getAttribute("data-gk-plist"), info = cfg && cfg.lists ? cfg.lists[key] : null;
    var items = [], trs = table.tBodies[0].rows;
    for (var i = 0; i < trs.length; i++) items.push(fromRow(trs[i]));
    lists.push({
      key: key, info: info, items: items, table: table, tbody: table.tBodies[0],
      total: info ? info.total : items.length,
      withValidity: !!table.querySelector("th.gk-col-v"),
      shown: PAGE, matches: null, filtered: false,
      count: section.querySelector("[data-gk-count]"),
      none: section.querySelector(".gk-plist__none"),
      more: section.querySelector(".gk-plist__more"),
      pager: section.querySelector("[data-gk-pager]"),
      title: text(section.querySelector("h2").firstChild)
    });
  }
  if (!form || !lists.length) return;

  // 2. The chunks of a large site: loaded once each, on demand.
  var received = {}, loading = {};
  window.gkPolicyRows = function (key, k, rows) { received[key + "/" + k] = rows; };
  var http = location.protocol === "http:" || location.protocol === "https:";
  function chunkAddress(path) {
    var url = new URL(path, location.href);
    if (http) url.searchParams.set("v", cfg.version);  // a cached chunk of another build is never mixed in
    return url.href;
  }
  function loadChunk(list, k) {
    var id = list.key + "/" + k;
    if (!loading[id]) {
      loading[id] = new Promise(function (resolve, reject) {
        var el = document.createElement("script");
        el.src = chunkAddress(list.info.chunks[k]);
        el.onload = function () {
          var rows = received[id];
          delete received[id];
          if (!rows) { delete loading[id]; reject(new Error(id)); return; }
          var base = k * list.info.chunk;
          for (var i = 0; i < rows.length; i++) if (!list.items[base + i]) list.items[base + i] = fromData(rows[i]);
          resolve();
        };
        el.onerror = function () { delete loading[id]; reject(new Error(id)); };
        document.head.appendChild(el);
      });
    }
    return loading[id];
  }
  function missing(list, upto) {  // the chunks holding rows [0, upto) not yet here
    var out = [];
    if (!list.info) return out;
    for (var k = 0; k * list.info.chunk < Math.min(upto, list.total); k++) {
      var end = Math.min((k + 1) * list.info.chunk, list.total);
      for (var i = k * list.info.chunk; i < end; i++) if (!list.items[i]) { out.push(k); break; }
    }
    return out;
  }
  function ensure(list, upto) {
    return Promise.all(missing(list, upto).map(function (k) { return loadChunk(list, k); }));
  }
  function complete() {
    for (var l = 0; l < lists.length; l++) if (missing(lists[l], lists[l].total).length) return false;
    return true;
  }
  function ensureAll() {
    return Promise.all(lists.map(function (list) { return ensure(list, list.total); }));
  }

  var input = form.querySelector("input[name=q]");
  var selects = {}, KEYS = [];
  for (var k = 0; k < ALL_KEYS.length; k++) {
    var sel = form.querySelector("select[name=" + ALL_KEYS[k] + "]");
    if (sel) { selects[ALL_KEYS[k]] = sel; KEYS.push(ALL_KEYS[k]); }
  }
  var status = form.querySelector("[role=status]");

  // 3. The filter state <-> the form <-> the URL hash.
  function readForm() {
    var f = { q: input.value.trim() };
    for (var k = 0; k < KEYS.length; k++) f[KEYS[k]] = selects[KEYS[k]].value;
    return f;
  }
  function toHash(f) {
    var parts = [];
    for (var k = 0; k < KEYS.length; k++) if (f[KEYS[k]]) parts.push(KEYS[k] + "=" + encodeURIComponent(f[KEYS[k]]));
    if (f.q) parts.push("q=" + encodeURIComponent(f.q));
    return parts.join("&");
  }
  function fromHash() {
    var h = location.hash.replace(/^#/, ""), f = {};
    if (h.indexOf("=") < 0) return f;
    var parts = h.split("&");
    for (var i = 0; i < parts.length; i++) {
      var kv = parts[i].split("="), key = kv[0], value;
      try { value = decodeURIComponent((kv[1] || "").replace(/\+/g, " ")); } catch (e) { continue; }
      if (key === "q" || KEYS.indexOf(key) >= 0) f[key] = value;
    }
    return f;
  }
  function writeForm(f) {
    input.value = f.q || "";
    for (var k = 0; k < KEYS.length; k++) {
      var sel = selects[KEYS[k]];
      sel.value = f[KEYS[k]] || "";
      if (sel.value !== (f[KEYS[k]] || "")) sel.value = "";  // a value this list does not have
    }
  }
  var lastHash = null;
  function writeHash(f) {
    var h = toHash(f);
    if (h === lastHash) return;
    lastHash = h;
    var url = location.pathname + location.search + (h ? "#" + h : "");
    try { history.replaceState(null, "", url); } catch (e) { location.replace("#" + h); }
  }

  // 4. Matching.
  function match(it, f, terms, skip) {
    if (f.publisher && skip !== "publisher" && it.publisher !== f.publisher) return false;
    if (f.year && skip !== "year" && it.year !== f.year) return false;
    if (f.topic && skip !== "topic" && it.topic !== f.topic && it.topic.indexOf(f.topic + "\\") !== 0) return false;
    if (f.validity && skip !== "validity" && it.validity !== f.validity) return false;
    if (f.form && skip !== "form" && (f.form === ANY_FORM ? !it.forms.length : it.forms.indexOf(f.form) < 0)) return false;
    for (var t = 0; t < terms.length; t++) if (it.key.indexOf(terms[t]) < 0) return false;
    return true;
  }
  function terms(q) {
    var out = [], words = q.split(/\s+/);
    for (var i = 0; i < words.length; i++) { var w = norm(words[i]); if (w) out.push(w); }
    return out;
  }
  function values(it, key) {
    if (key !== "form") return [it[key]];
    if (!it.forms.length) return [];
    var out = [ANY_FORM];
    for (var i = 0; i < it.forms.length; i++) if (it.forms[i] && out.indexOf(it.forms[i]) < 0) out.push(it.forms[i]);
    return out;
  }
  // Each option shows how many documents it would leave, given the other conditions (once every row is here;
  // until then the counts of the build stay).
  function updateCounts(f, ts) {
    for (var k = 0; k < KEYS.length; k++) {
      var key = KEYS[k], counts = {};
      for (var l = 0; l < lists.length; l++) {
        var items = lists[l].items;
        for (var i = 0; i < items.length; i++) {
          var it = items[i];
          if (!match(it, f, ts, key)) continue;
          var vs = values(it, key);
          for (var j = 0; j < vs.length; j++) {
            counts[vs[j]] = (counts[vs[j]] || 0) + 1;
            if (key === "topic" && vs[j].indexOf("\\") > 0) {
              var top = vs[j].split("\\")[0];
              counts[top] = (counts[top] || 0) + 1;
            }
          }
        }
      }
      var opts = selects[key].options;
      for (var o = 1; o < opts.length; o++) {
        var n = counts[opts[o].value] || 0, label = opts[o].getAttribute("data-label");
        opts[o].textContent = (opts[o].className === "gk-sub" ? "\u3000" : "") + label + "（" + n + "）";
        opts[o].disabled = n === 0 && opts[o].value !== f[key];
      }
    }
  }
  function replaceRows(list, nodes) {
    var frag = document.createDocumentFragment();
    for (var i = 0; i < nodes.length; i++) frag.appendChild(element(list, nodes[i]));
    if (list.tbody.replaceChildren) list.tbody.replaceChildren(frag);
    else { while (list.tbody.firstChild) list.tbody.removeChild(list.tbody.firstChild); list.tbody.appendChild(frag); }
  }
  function render(list) {
    var m = list.matches || list.items, total = list.matches ? m.length : list.total, n = Math.min(list.shown, total);
    replaceRows(list, m.slice(0, n));
    list.count.textContent = list.filtered ? total + " / " + list.total : String(list.total);
    list.none.hidden = total > 0;
    list.table.hidden = total === 0;
    list.more.hidden = n >= total;
    if (n < total) list.more.firstElementChild.textContent = "显示更多（已显示 " + n + " 件，共 " + total + " 件）";
  }

  // 5. Apply the form to the lists (loading every chunk first when a condition is set).
  var failed = false;
  function fail() {
    failed = true;
    status.textContent = "未能载入全部政策文件，筛选和搜索暂不可用。请刷新页面重试，或使用各列表下方的分页浏览。";
    for (var l = 0; l < lists.length; l++) {
      if (lists[l].pager) lists[l].pager.hidden = false;
      lists[l].more.hidden = true;
    }
    root.setAttribute("data-gk-error", "");
  }
  function apply(fromUrl) {
    var f = readForm(), ts = terms(f.q);
    showActive(f);
    var filtered = !!ts.length;
    for (var k = 0; k < KEYS.length; k++) if (f[KEYS[k]]) filtered = true;
    if (filtered && !complete()) {
      if (failed) return;
      var total = 0;
      for (var l = 0; l < lists.length; l++) total += lists[l].total;
      status.textContent = "正在载入全部 " + total + " 件政策文件……";
      ensureAll().then(function () { apply(fromUrl); }, fail);
      return;
    }
    var summary = [];
    for (var m = 0; m < lists.length; m++) {
      var list = lists[m], out = null;
      if (filtered) {
        out = [];
        for (var i = 0; i < list.items.length; i++) if (match(list.items[i], f, ts)) out.push(list.items[i]);
      }
      list.matches = out;
      list.shown = PAGE;
      list.filtered = filtered;
      render(list);
      summary.push(list.title + " " + (out ? out.length : list.total) + " 件");
    }
    if (complete()) updateCounts(f, ts);
    status.textContent = filtered ? "符合条件的：" + summary.join("，") + "。" : "";
    root.setAttribute("data-gk-ready", toHash(f));
    if (!fromUrl) writeHash(f);
  }

  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { apply(false); }, 80);
  });
  for (var name in selects) selects[name].addEventListener("change", function () { apply(false); });
  form.addEventListener("submit", function (e) { e.preventDefault(); clearTimeout(timer); apply(false); });
  form.addEventListener("reset", function () { setTimeout(function () { apply(false); }, 0); });
  // a reader who reaches for the form will filter: start loading the rows then, not on every visit
  form.addEventListener("focusin", function () { if (!failed) ensureAll().then(null, function () {}); });
  lists.forEach(function (list) {
    list.more.firstElementChild.addEventListener("click", function () {
      list.shown += PAGE;
      if (list.filtered) { render(list); return; }
      ensure(list, list.shown).then(function () { render(list); }, fail);
    });
    if (list.pager) list.pager.hidden = true;  // 「显示更多」 instead of the static pages
  });
  window.addEventListener("hashchange", function () {
    if (location.hash.replace(/^#/, "") === lastHash) return;
    writeForm(fromHash());
    apply(true);
  });

  // 6. On a phone the facets fold behind 「筛选」, which says how many are set; the search box stays. Folded when the
  //    page opens on a phone (the list comes first), always open on a wider screen (where the button is hidden).
  var toggle = form.querySelector(".gk-pfilter__toggle"), more = form.querySelector(".gk-pfilter__more");
  var activeMark = form.querySelector("[data-gk-active]"), activeText = form.querySelector("[data-gk-active-text]");
  var phone = window.matchMedia ? window.matchMedia("(max-width: 44.9375em)") : null;
  function setOpen(open) {
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    more.hidden = !open;
  }
  function fold() {
    var small = !!(phone && phone.matches);
    toggle.hidden = !small;
    setOpen(!small);
  }
  function showActive(f) {
    var n = 0;
    for (var k = 0; k < KEYS.length; k++) if (f[KEYS[k]]) n++;
    activeMark.textContent = n ? "（" + n + "）" : "";
    activeText.textContent = n ? "已选 " + n + " 项条件" : "";  // read out as 「筛选 已选 2 项条件」
  }
  toggle.addEventListener("click", function () { setOpen(more.hidden); });
  if (phone) {
    if (phone.addEventListener) phone.addEventListener("change", fold);
    else if (phone.addListener) phone.addListener(fold);
  }
  fold();

  form.hidden = false;
  if (gk.fitPlaceholders) gk.fitPlaceholders();  // chrome.js: the search box's short placeholder if the long one is cut
  writeForm(fromHash());
  lastHash = toHash(readForm());
  apply(true);
  window.gongkai = gk;
  gk.policies = { apply: apply, lists: lists, ensureAll: ensureAll };
})();
