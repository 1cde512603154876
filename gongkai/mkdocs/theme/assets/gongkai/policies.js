/* gongkai: the 政策文件 lists — facets (发布机构, 发布年份, 主题分类, 有效性) and a search box of their own.
 *
 * The page holds every row in its HTML, so the lists are complete without JavaScript. This script reads
 * the rows once (no fetch: works from file://), keeps them in memory, and shows the matching ones a page
 * at a time. The filter state lives in the URL hash (#year=2024&q=…), so a filtered view can be shared.
 * Validity is the reader's own: gongkai.js recomputes each badge from its dates with today's date.
 */
(function () {
  "use strict";
  var root = document.querySelector("[data-gk-policies]");
  if (!root) return;
  var form = root.querySelector("form.gk-pfilter");
  var PAGE = 100;
  var KEYS = ["publisher", "year", "topic", "validity"];
  // Brackets and spaces are ignored, so 示民规〔2024〕3号, 示民规[2024]3号 and 示民规 2024 3号 all match.
  var STRIP = /[\s\[\]()〔〕【】〈〉《》「」<>{}［］（）]/g;

  function norm(s) {
    return (s.normalize ? s.normalize("NFKC") : s).toLowerCase().replace(STRIP, "");
  }
  function text(el) { return el ? el.textContent : ""; }

  // 1. Read the rows once. Each full table sits in a <noscript> (shown as is without JavaScript); here its
  // text is parsed into an inert document, so the browser never lays out thousands of rows.
  function readList(section) {
    var ns = section.querySelector("noscript");
    if (!ns || !window.DOMParser) return null;
    var inert = new DOMParser().parseFromString("<!doctype html><body>" + ns.textContent, "text/html");
    var src = inert.querySelector("table");
    if (!src || !src.tBodies.length) return null;
    // validity with the reader's date (gongkai.js), before the rows are read and filtered
    if (window.gongkai && window.gongkai.refreshValidity) window.gongkai.refreshValidity(inert);
    var table = document.createElement("table");
    table.className = src.className;
    table.id = src.id;
    if (src.caption) table.appendChild(document.importNode(src.caption, true));
    if (src.tHead) table.appendChild(document.importNode(src.tHead, true));
    var tbody = table.appendChild(document.createElement("tbody"));
    var rows = src.tBodies[0].rows, items = new Array(rows.length);
    for (var i = 0; i < rows.length; i++) {
      var tr = rows[i], c0 = tr.cells[0], meta = c0.children[1] || null;
      var idx = meta ? meta.children[0] : null, pub = meta ? meta.children[1] : null;
      // the 有效性 column is left out of a list where no document has a validity
      var time = tr.cells[2].firstElementChild, badge = tr.querySelector("[data-gk-validity]");
      var state = "";
      if (badge) {
        state = badge.getAttribute("data-gk-state") || (badge.className.match(/gk-badge--(\w+)/) || [])[1] || "";
      }
      items[i] = {
        el: tr,
        key: norm(text(c0.firstElementChild) + "|" + text(tr.cells[1]) + "|" + text(idx)),
        publisher: text(pub),
        year: time ? time.getAttribute("datetime").slice(0, 4) : "",
        topic: tr.getAttribute("data-t") || "",
        validity: state
      };
    }
    ns.parentNode.insertBefore(table, ns);
    return {
      items: items, tbody: tbody, table: table, shown: PAGE, matches: items,
      count: section.querySelector("[data-gk-count]"),
      none: section.querySelector(".gk-plist__none"),
      more: section.querySelector(".gk-plist__more"),
      title: text(section.querySelector("h2").firstChild)
    };
  }
  var lists = [];
  var sections = root.querySelectorAll("[data-gk-plist]");
  try {
    for (var s = 0; s < sections.length; s++) {
      var found = readList(sections[s]);
      if (found) lists.push(found);
    }
  } catch (e) {
    // Anything unexpected (an overridden template, an old browser): show the full tables as they are.
    for (var t = 0; t < lists.length; t++) lists[t].table.parentNode.removeChild(lists[t].table);
    var nss = root.querySelectorAll("noscript");
    for (var u = 0; u < nss.length; u++) nss[u].insertAdjacentHTML("beforebegin", nss[u].textContent);
    if (window.gongkai && window.gongkai.refreshValidity) window.gongkai.refreshValidity(root);
    return;
  }
  if (!form || !lists.length) return;
  var input = form.querySelector("input[name=q]");
  var selects = {};
  for (var k = 0; k < KEYS.length; k++) selects[KEYS[k]] = form.querySelector("select[name=" + KEYS[k] + "]");
  var status = form.querySelector("[role=status]");

  // 2. The filter state <-> the form <-> the URL hash.
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

  // 3. Matching.
  function match(it, f, terms, skip) {
    if (f.publisher && skip !== "publisher" && it.publisher !== f.publisher) return false;
    if (f.year && skip !== "year" && it.year !== f.year) return false;
    if (f.topic && skip !== "topic" && it.topic !== f.topic && it.topic.indexOf(f.topic + "\\") !== 0) return false;
    if (f.validity && skip !== "validity" && it.validity !== f.validity) return false;
    for (var t = 0; t < terms.length; t++) if (it.key.indexOf(terms[t]) < 0) return false;
    return true;
  }
  function terms(q) {
    var out = [], words = q.split(/\s+/);
    for (var i = 0; i < words.length; i++) { var w = norm(words[i]); if (w) out.push(w); }
    return out;
  }
  // Each option shows how many documents it would leave, given the other conditions.
  function updateCounts(f, ts) {
    for (var k = 0; k < KEYS.length; k++) {
      var key = KEYS[k], counts = {};
      for (var l = 0; l < lists.length; l++) {
        var items = lists[l].items;
        for (var i = 0; i < items.length; i++) {
          var it = items[i];
          if (!match(it, f, ts, key)) continue;
          var v = it[key];
          counts[v] = (counts[v] || 0) + 1;
          if (key === "topic" && v.indexOf("\\") > 0) {
            var top = v.split("\\")[0];
            counts[top] = (counts[top] || 0) + 1;
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
  function replaceRows(tbody, nodes) {
    var frag = document.createDocumentFragment();
    for (var i = 0; i < nodes.length; i++) frag.appendChild(nodes[i].el);
    if (tbody.replaceChildren) tbody.replaceChildren(frag);
    else { while (tbody.firstChild) tbody.removeChild(tbody.firstChild); tbody.appendChild(frag); }
  }
  function render(list) {
    var m = list.matches, n = Math.min(list.shown, m.length);
    replaceRows(list.tbody, m.slice(0, n));
    list.count.textContent = list.filtered ? m.length + " / " + list.items.length : String(list.items.length);
    list.none.hidden = m.length > 0;
    list.table.hidden = m.length === 0;
    list.more.hidden = n >= m.length;
    if (n < m.length) {
      list.more.firstElementChild.textContent = "显示更多（已显示 " + n + " 件，共 " + m.length + " 件）";
    }
  }

  // 4. Apply the form to the lists.
  function apply(fromUrl) {
    var f = readForm(), ts = terms(f.q), filtered = !!(ts.length || f.publisher || f.year || f.topic || f.validity);
    var summary = [];
    for (var l = 0; l < lists.length; l++) {
      var list = lists[l], out = [];
      for (var i = 0; i < list.items.length; i++) if (match(list.items[i], f, ts)) out.push(list.items[i]);
      list.matches = out;
      list.shown = PAGE;
      list.filtered = filtered;
      render(list);
      summary.push(list.title + " " + out.length + " 件");
    }
    updateCounts(f, ts);
    status.textContent = filtered ? "符合条件的：" + summary.join("，") + "。" : "";
    root.setAttribute("data-gk-ready", toHash(f));
    if (!fromUrl) writeHash(f);
  }

  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { apply(false); }, 80);
  });
  for (var key in selects) selects[key].addEventListener("change", function () { apply(false); });
  form.addEventListener("submit", function (e) { e.preventDefault(); clearTimeout(timer); apply(false); });
  form.addEventListener("reset", function () { setTimeout(function () { apply(false); }, 0); });
  for (var m = 0; m < lists.length; m++) {
    (function (list) {
      list.more.firstElementChild.addEventListener("click", function () {
        list.shown += PAGE;
        render(list);
      });
    })(lists[m]);
  }
  window.addEventListener("hashchange", function () {
    if (location.hash.replace(/^#/, "") === lastHash) return;
    writeForm(fromHash());
    apply(true);
  });

  form.hidden = false;
  writeForm(fromHash());
  lastHash = toHash(readForm());
  apply(true);
  window.gongkai = window.gongkai || {};
  window.gongkai.policies = { apply: apply, lists: lists };
})();
