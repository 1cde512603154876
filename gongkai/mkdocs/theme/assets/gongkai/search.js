/* gongkai search page: queries gongkai's own index in ../search/index/ (written by gongkai/searchindex.py).
   Every index file is a script calling a global callback, loaded with <script src>: this works over http(s)
   and from file:// alike. A query loads the manifest, one shard per pair of characters, and the metadata
   chunks of the results it shows. Result DOM is built with createElement/textContent only. */
(function () {
  "use strict";
  var PAGE_SIZE = 20;
  var script = document.currentScript;
  var root = new URL("../../", script.src); // assets/gongkai/search.js -> site root
  var base = new URL("search/index/", root);
  var form = document.querySelector("[data-gk-search-form]");
  var input = document.getElementById("gk-search-q");
  var status = document.querySelector("[data-gk-search-status]");
  var list = document.querySelector("[data-gk-search-results]");
  var more = document.querySelector("[data-gk-search-more]");
  var manifest = null, shards = {}, metas = {}, loading = {};
  var results = [], shown = 0, serial = 0, term = "";
  // the same separators as searchindex.SEPARATORS: runs of CJK characters, ASCII letters and digits
  var SEPARATORS = /[^0-9a-z\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+/g;

  window.gkSearchManifest = function (m) { manifest = m; };
  window.gkSearchShard = function (k, data) { shards[k] = data; };
  window.gkSearchMeta = function (k, items) { metas[k] = items; };

  // Over http(s) the manifest is always asked for afresh and the other files carry its version, so a cache never
  // mixes two builds' files. From file:// there is no cache to outwit (and file addresses take no query).
  var http = location.protocol === "http:" || location.protocol === "https:";
  function address(path) {
    var url = new URL(path, base);
    if (http) url.searchParams.set("v", path === "manifest.js" ? String(Date.now()) : manifest.version);
    return url.href;
  }

  function load(path) {
    if (!loading[path]) {
      loading[path] = new Promise(function (resolve, reject) {
        var s = document.createElement("script");
        s.src = address(path);
        s.onload = function () { resolve(); };
        s.onerror = function () { delete loading[path]; reject(new Error(path)); };
        document.head.appendChild(s);
      });
    }
    return loading[path];
  }

  function tokens(text) {
    var s = text.normalize("NFKC").toLowerCase().replace(SEPARATORS, " "), out = [], seen = {};
    for (var i = 0; i + 1 < s.length; i++) {
      var t = s.substr(i, 2);
      if (t.indexOf(" ") < 0 && !seen[t]) { seen[t] = true; out.push(t); }
    }
    return out.sort();
  }

  var CRC = [];
  for (var n = 0; n < 256; n++) {
    var c = n;
    for (var k = 0; k < 8; k++) c = c & 1 ? 0xEDB88320 ^ (c >>> 1) : c >>> 1;
    CRC[n] = c >>> 0;
  }
  function shardOf(token) {
    var bytes = new TextEncoder().encode(token), c = 0xFFFFFFFF;
    for (var i = 0; i < bytes.length; i++) c = CRC[(c ^ bytes[i]) & 0xFF] ^ (c >>> 8);
    return ((c ^ 0xFFFFFFFF) >>> 0) % manifest.shards;
  }

  // delta codes -> ascending numbers
  function codes(text) {
    var out = [], acc = 0, v = 0;
    for (var i = 0; i < text.length; i++) {
      var ch = text.charAt(i), d = manifest.final.indexOf(ch);
      if (d >= 0) { acc += v * 32 + d; out.push(acc); v = 0; } else { v = v * 32 + manifest.cont.indexOf(ch); }
    }
    return out;
  }

  // posting string -> ascending values n*2+t (n: record number, t: the token is in the title); a frequent token
  // is "#" + base64 of one bit per record + "," + the codes of the records having it in the title
  function decode(posting) {
    if (posting.charAt(0) !== "#") return codes(posting);
    var comma = posting.indexOf(","), bytes = atob(posting.slice(1, comma)), titles = codes(posting.slice(comma + 1));
    var out = [], t = 0;
    for (var b = 0; b < bytes.length; b++) {
      var byte = bytes.charCodeAt(b);
      for (var k = 0; byte && k < 8; k++) {
        if (byte & (128 >> k)) {
          var n = b * 8 + k;
          while (t < titles.length && titles[t] < n) t++;
          out.push(n * 2 + (titles[t] === n ? 1 : 0));
        }
      }
    }
    return out;
  }

  // records holding every token: [{n, title: every token is in its title}], title hits first, then index order
  function match(postings) {
    postings.sort(function (a, b) { return a.length - b.length; });
    var found = postings[0].map(function (v) { return { n: v >> 1, title: (v & 1) === 1 }; });
    for (var p = 1; p < postings.length && found.length; p++) {
      var other = postings[p], next = [], j = 0;
      for (var i = 0; i < found.length; i++) {
        while (j < other.length && (other[j] >> 1) < found[i].n) j++;
        if (j < other.length && (other[j] >> 1) === found[i].n) next.push({ n: found[i].n, title: found[i].title && (other[j] & 1) === 1 });
      }
      found = next;
    }
    return found.filter(function (r) { return r.title; }).concat(found.filter(function (r) { return !r.title; }));
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  }

  function render(m) {
    var li = el("li", "gk-result");
    var a = el("a", "gk-result__title", m.t || m.u);
    a.href = new URL(m.u, root).href;
    li.appendChild(a);
    var meta = el("p", "gk-result__meta");
    meta.appendChild(el("span", "", m.k || "页面"));
    if (m.n) meta.appendChild(el("span", "", "文号：" + m.n));
    if (m.d) {
      var d = el("span", ""), tm = el("time", "", m.d);
      tm.setAttribute("datetime", m.d);
      d.appendChild(document.createTextNode("发布日期："));
      d.appendChild(tm);
      meta.appendChild(d);
    }
    if (m.p) meta.appendChild(el("span", "", "位置：" + m.p));
    if (m.v) {
      var v = el("span", "");
      v.appendChild(document.createTextNode("有效性："));
      var b = el("span", "gk-badge", m.v);
      b.setAttribute("data-gk-validity", "");
      b.setAttribute("data-status", m.s || "");
      b.setAttribute("data-effective", m.e || "");
      b.setAttribute("data-expires", m.x || "");
      v.appendChild(b);
      meta.appendChild(v);
    }
    li.appendChild(meta);
    return li;
  }

  function showMore(mine) {
    var batch = results.slice(shown, shown + PAGE_SIZE), chunks = {};
    batch.forEach(function (r) { chunks[Math.floor(r.n / manifest.chunk)] = true; });
    return Promise.all(Object.keys(chunks).map(function (k) { return load("m/" + k + ".js"); })).then(function () {
      if (mine !== serial) return;
      batch.forEach(function (r) {
        list.appendChild(render(metas[Math.floor(r.n / manifest.chunk)][r.n % manifest.chunk]));
      });
      shown += batch.length;
      if (window.gongkai && window.gongkai.refreshValidity) window.gongkai.refreshValidity(list);
      more.hidden = shown >= results.length;
      say();
    });
  }

  function say() {
    if (!results.length) { status.textContent = "没有找到与“" + term + "”有关的结果，请换一个词试试。"; return; }
    status.textContent = "找到 " + results.length + " 条与“" + term + "”有关的结果" +
      (shown < results.length ? "，显示前 " + shown + " 条。" : "。");
  }

  function search(q) {
    var mine = ++serial;
    list.textContent = "";
    more.hidden = true;
    results = []; shown = 0;
    term = q.trim();
    if (!term) { status.textContent = "请输入要查找的词语。"; return Promise.resolve(); }
    var toks = tokens(term);
    if (!toks.length) { status.textContent = "请至少输入两个连续的汉字、字母或数字，例如“低保”。"; return Promise.resolve(); }
    status.textContent = "正在搜索……";
    return load("manifest.js").then(function () {
      var files = {};
      toks.forEach(function (t) { files[shardOf(t)] = true; });
      return Promise.all(Object.keys(files).map(function (k) { return load("s/" + k + ".js"); }));
    }).then(function () {
      if (mine !== serial) return;
      results = match(toks.map(function (t) { return decode(shards[shardOf(t)][t] || ""); }));
      // the status (a live region) speaks once the first results are on the page
      return showMore(mine);
    }).catch(function () {
      if (mine !== serial) return;
      status.textContent = "搜索暂时无法使用，请稍后再试。";
    });
  }

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var q = input.value;
    try {
      var url = new URL(location.href);
      url.searchParams.set("q", q);
      history.replaceState(null, "", url.href);
    } catch (e) { /* some browsers refuse to change a file:// address: the search still runs */ }
    search(q);
  });
  more.addEventListener("click", function () { showMore(serial); });
  // load the manifest while the reader types: the first query then only loads its shards
  load("manifest.js").catch(function () { /* reported on search */ });
  var initial = new URL(location.href).searchParams.get("q");
  if (initial) { input.value = initial; search(initial); }
  window.gongkai = window.gongkai || {};
  window.gongkai.search = search;
})();
