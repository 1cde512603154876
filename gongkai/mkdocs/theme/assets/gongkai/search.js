/* gongkai search page: queries gongkai's own index in ../search/index/ (written by gongkai/build/searchindex.py).
   Every index file is a script calling a global callback, loaded with <script src>: this works over http(s)
   and from file:// alike. A query loads the manifest, one shard per token (a pair of characters, a whole number
   of 4 or more digits, an exact key it could be: a 文号, an 索引号), the metadata groups of the results it shows and,
   for each result, the one text file that holds the passage where its words first occur (the postings say in which
   portion of the record's text each token first occurs): its excerpt is the text around that hit, the words marked.
   Result DOM is built with createElement/textContent only.

   Ranking (searchindex.search does the same in Python): records having one of the query's exact keys (a whole
   文号 or 索引号, a 文号's year and serial) first, then records with every word in the title, then the rest; within
   a tier in index order (主题服务包, columns, documents in force, newest first). A word is found through any of
   its variants: the synonyms of the manifest (低保 -> 最低生活保障), which the page names. */
(function () {
  "use strict";
  var PAGE_SIZE = 10;
  var script = document.currentScript;
  var root = new URL("../../", script.src); // assets/gongkai/search.js -> site root
  var base = new URL("search/index/", root);
  var form = document.querySelector("[data-gk-search-form]");
  var input = document.getElementById("gk-search-q");
  var status = document.querySelector("[data-gk-search-status]");
  var note = document.querySelector("[data-gk-search-note]");
  var list = document.querySelector("[data-gk-search-results]");
  var more = document.querySelector("[data-gk-search-more]");
  var manifest = null, shards = {}, metas = {}, texts = {}, loading = {};
  var EXCERPT = 120; // characters of text a result shows around its hit
  var state = null, serial = 0;
  // the same classes as searchindex: runs of CJK characters, ASCII letters and digits
  var SEPARATORS = /[^0-9a-z\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+/g;
  var SEP_CLASS = "[^0-9a-z\\u3007\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff]";

  window.gkSearchManifest = function (m) { manifest = m; };
  window.gkSearchShard = function (k, data) { shards[k] = data; };
  window.gkSearchMeta = function (k, items) { metas[k] = items; };
  window.gkSearchText = function (k, items) { texts[k] = items; };

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

  // --- words, variants, tokens, keys (searchindex.normalise, variants, tokens, query_keys) -----------------

  function normalise(text) {
    return text.normalize("NFKC").toLowerCase().replace(SEPARATORS, " ");
  }
  function compact(text) {
    return text.normalize("NFKC").toLowerCase().replace(SEPARATORS, "");
  }
  // searchindex.query_tokens: the word's numbers of 4 to 12 digits whole ("#2024"), and its other pairs
  function tokens(text) {
    var s = normalise(text), out = [], seen = {}, whole = [], re = /[0-9]+/g, m;
    while ((m = re.exec(s)) !== null) {
      if (m[0].length >= 4 && m[0].length <= 12) {
        whole.push([m.index, m.index + m[0].length]);
        if (!seen["#" + m[0]]) { seen["#" + m[0]] = true; out.push("#" + m[0]); }
      }
    }
    for (var i = 0; i + 1 < s.length; i++) {
      var t = s.substr(i, 2), inside = false;
      for (var w = 0; w < whole.length; w++) if (whole[w][0] <= i && i + 2 <= whole[w][1]) inside = true;
      if (t.indexOf(" ") < 0 && !inside && !seen[t]) { seen[t] = true; out.push(t); }
    }
    return out.sort();
  }
  // the word and the words its synonyms make of it; the longest term of the table at each place is replaced
  function variants(word) {
    var syn = manifest.synonyms || {}, w = normalise(word).trim(), longest = 0, parts = [], i = 0, start = 0;
    for (var key in syn) if (key.length > longest) longest = key.length;
    while (i < w.length) {
      var term = "";
      for (var k = Math.min(longest, w.length - i); k > 1; k--) {
        if (Object.prototype.hasOwnProperty.call(syn, w.substr(i, k))) { term = w.substr(i, k); break; }
      }
      if (term) {
        parts.push([w.slice(start, i)], [term].concat(syn[term]));
        i = start = i + term.length;
      } else {
        i++;
      }
    }
    parts.push([w.slice(start)]);
    var out = [""];
    parts.forEach(function (choices) {
      var next = [];
      out.forEach(function (a) { choices.forEach(function (c) { next.push(a + c); }); });
      out = next.slice(0, 12);
    });
    return out;
  }
  function queryKeys(query) {
    var c = compact(query);
    if (!c || !/[0-9]/.test(c)) return [];
    var keys = c.length >= 6 ? ["=w" + c, "=i" + c] : [];
    var q = query.normalize("NFKC").toLowerCase().trim();
    var m = /((?:19|20)\d\d)[^0-9a-z\u3400-\u9fff]+(\d{1,4})(?:号|$)/.exec(q) || /((?:19|20)\d\d)(\d{1,4})号$/.exec(q);
    if (m) return keys.concat(["=n" + m[1] + "-" + parseInt(m[2], 10)]);
    var y = /[\[(〔【]\s*((?:19|20)\d\d)|((?:19|20)\d\d)\s*[\])〕】]/.exec(q);
    if (y) keys.push("=y" + (y[1] || y[2]));
    return keys;
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

  // --- postings ---------------------------------------------------------------------------------------------

  // delta codes (the first from base), each maybe followed by a portion mark -> [[value, portion], ...] ascending
  function codes(text, base) {
    var out = [], acc = base || 0, v = 0, piece = manifest.piece, last = piece.length - 1;
    for (var i = 0; i < text.length; i++) {
      var ch = text.charAt(i), d = manifest.final.indexOf(ch);
      if (d >= 0) { acc += v * 32 + d; out.push([acc, 0]); v = 0; continue; }
      var p = piece.indexOf(ch);
      if (p < 0) { v = v * 32 + manifest.cont.indexOf(ch); continue; }
      if (p < last) { out[out.length - 1][1] = p + 1; continue; }
      var k = 0; // the escape: a larger portion number in CONT/FINAL digits
      for (i++; i < text.length; i++) {
        var f = manifest.final.indexOf(text.charAt(i));
        if (f >= 0) { k = k * 32 + f; break; }
        k = k * 32 + manifest.cont.indexOf(text.charAt(i));
      }
      out[out.length - 1][1] = last + 1 + k;
    }
    return out;
  }
  // posting string -> {record: [in title, portion]}; a frequent token is "#" + base64 of one bit per record, then
  // for each block of manifest.block records "," + the codes of its records that have the token in the title or
  // in a portion other than 0 (deltas from the block's first record)
  function decode(posting) {
    var out = {};
    if (posting.charAt(0) !== "#") {
      codes(posting).forEach(function (e) { out[e[0] >> 1] = [(e[0] & 1) === 1, e[1]]; });
      return out;
    }
    var parts = posting.slice(1).split(","), bytes = atob(parts[0]), extra = {};
    for (var p = 1; p < parts.length; p++) {
      codes(parts[p], (p - 1) * manifest.block * 2).forEach(function (e) { extra[e[0] >> 1] = [(e[0] & 1) === 1, e[1]]; });
    }
    for (var b = 0; b < bytes.length; b++) {
      var byte = bytes.charCodeAt(b);
      for (var k = 0; byte && k < 8; k++) if (byte & (128 >> k)) { var n = b * 8 + k; out[n] = extra[n] || [false, 0]; }
    }
    return out;
  }
  function posting(tok) { return decode(shards[shardOf(tok)][tok] || ""); }

  // records with every token -> [every token in its title, the latest of the tokens' first portions]
  function all(toks) {
    var found = null;
    toks.forEach(function (t) {
      var p = posting(t), next = {};
      if (found === null) { found = p; return; }
      for (var r in found) {
        if (Object.prototype.hasOwnProperty.call(p, r)) next[r] = [found[r][0] && p[r][0], Math.max(found[r][1], p[r][1])];
      }
      found = next;
    });
    return found || {};
  }

  // --- marking the words in a title, a 文号 and an excerpt -----------------------------------------------------

  function escape(ch) { return ch.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }
  // a pattern for a variant: its characters in order, with at most 3 brackets, spaces or punctuation between
  function pattern(variant) {
    var chars = variant.replace(/ /g, "").split("");
    if (chars.length < 2) return null;
    return chars.map(escape).join(SEP_CLASS + "{0,3}");
  }
  // text normalised character by character (NFKC, lower case), with the place of each character in the original
  function folded(text) {
    var s = "", at = [];
    for (var i = 0; i < text.length; i++) {
      var f = text.charAt(i).normalize("NFKC").toLowerCase();
      for (var j = 0; j < f.length; j++) { s += f.charAt(j); at.push(i); }
    }
    at.push(text.length);
    return { s: s, at: at };
  }
  // [start, end) ranges in `text` where any of the patterns matches, in order, not overlapping
  function hits(text, re) {
    if (!re || !text) return [];
    var f = folded(text), out = [], m;
    re.lastIndex = 0;
    while ((m = re.exec(f.s)) !== null) {
      if (!m[0].length) { re.lastIndex++; continue; }
      out.push([f.at[m.index], f.at[m.index + m[0].length - 1] + 1]);
    }
    return out;
  }
  function appendMarked(parent, text, ranges) {
    var pos = 0;
    ranges.forEach(function (r) {
      if (r[0] < pos) return;
      if (r[0] > pos) parent.appendChild(document.createTextNode(text.slice(pos, r[0])));
      parent.appendChild(el("mark", "", text.slice(r[0], r[1])));
      pos = r[1];
    });
    if (pos < text.length) parent.appendChild(document.createTextNode(text.slice(pos)));
  }
  // the record's text in the file its hit is in, and the passage of about EXCERPT characters around the place where
  // the most of the marked words are close together (the start of the text when none is in it)
  function textOf(r, m) {
    var items = texts[fileOf(r, m)] || [], s = "";
    items.forEach(function (it) { if (it[0] === r.n) s += it[1]; });
    return s;
  }
  function excerpt(text) {
    var found = hits(text, state.marker), best = null, score = -1;
    found.slice(0, 200).forEach(function (h) {
      var words = {}, n = 0;
      found.forEach(function (o) {
        if (o[0] >= h[0] && o[1] <= h[0] + EXCERPT - 30) {
          var w = text.slice(o[0], o[1]);
          if (!words[w]) { words[w] = true; n++; }
        }
      });
      if (n > score) { score = n; best = h; }
    });
    var start = best ? Math.max(0, best[0] - 30) : 0, end = Math.min(text.length, start + EXCERPT);
    if (best && end === text.length) start = Math.max(0, end - EXCERPT);
    var ranges = [];
    found.forEach(function (o) { if (o[0] >= start && o[1] <= end) ranges.push([o[0] - start, o[1] - start]); });
    return { text: text.slice(start, end).trim() ? text.slice(start, end) : "", ranges: ranges, before: start > 0,
             after: end < text.length, hit: !!best };
  }
  // --- showing results -----------------------------------------------------------------------------------------

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  }

  function render(r, m) {
    var li = el("li", "gk-result");
    var a = el("a", "gk-result__title");
    appendMarked(a, m.t || m.u, hits(m.t || "", state.marker));
    a.href = new URL(m.u, root).href;
    li.appendChild(a);
    var meta = el("p", "gk-result__meta");
    meta.appendChild(el("span", "gk-result__kind", m.k || "页面"));
    if (m.n) {
      var no = el("span", "gk-nowrap");
      no.appendChild(document.createTextNode("文号："));
      appendMarked(no, m.n, hits(m.n, state.marker));
      meta.appendChild(no);
    }
    if (m.d) {
      var d = el("span", "gk-nowrap"), tm = el("time", "", m.d);
      tm.setAttribute("datetime", m.d);
      d.appendChild(document.createTextNode("发布日期："));
      d.appendChild(tm);
      meta.appendChild(d);
    }
    if (m.p) meta.appendChild(el("span", "", "位置：" + m.p));
    if (m.v) {
      var v = el("span", "gk-nowrap");
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
    var ex = m.j !== undefined ? excerpt(textOf(r, m)) : null;
    if (ex && (ex.hit || !m.b) && ex.text) {
      var p = el("p", "gk-result__excerpt");
      if (ex.before) p.appendChild(document.createTextNode("……"));
      appendMarked(p, ex.text, ex.ranges);
      if (ex.after) p.appendChild(document.createTextNode("……"));
      li.appendChild(p);
    } else if (m.b) { // a page's own summary, when its text has none of the words
      var s = el("p", "gk-result__excerpt");
      appendMarked(s, m.b, hits(m.b, state.marker));
      li.appendChild(s);
    }
    return li;
  }

  function metaOf(r) { return metas[Math.floor(r.n / manifest.chunk)][r.n % manifest.chunk]; }
  // x/{group}-{file}.js: the record's text starts in file m.j; its portion k is in file m.j + k
  function fileOf(r, m) { return Math.floor(r.n / manifest.chunk) + "-" + (m.j + r.piece); }

  function showMore(mine) {
    var batch = state.results.slice(state.shown, state.shown + PAGE_SIZE), chunks = {};
    batch.forEach(function (r) { chunks[Math.floor(r.n / manifest.chunk)] = true; });
    return Promise.all(Object.keys(chunks).map(function (k) { return load("m/" + k + ".js"); })).then(function () {
      var files = {};
      batch.forEach(function (r) { var m = metaOf(r); if (m.j !== undefined) files[fileOf(r, m)] = true; });
      // a text file that fails to load costs its results their excerpt, not the results
      return Promise.all(Object.keys(files).map(function (f) {
        return load("x/" + f + ".js").catch(function () { return null; });
      }));
    }).then(function () {
      if (mine !== serial) return;
      batch.forEach(function (r) { list.appendChild(render(r, metaOf(r))); });
      state.shown += batch.length;
      if (window.gongkai && window.gongkai.refreshValidity) window.gongkai.refreshValidity(list);
      more.hidden = state.shown >= state.results.length;
      say();
    });
  }

  function say() {
    var total = state.results.length;
    if (!total) {
      status.textContent = "没有找到与“" + state.term + "”有关的结果。请换一个词，或少输入几个字再试。";
      return;
    }
    status.textContent = "找到 " + total + " 条与“" + state.term + "”有关的结果" +
      (state.shown < total ? "，显示前 " + state.shown + " 条。" : "。");
  }

  function search(q) {
    var mine = ++serial;
    list.textContent = "";
    more.hidden = true;
    if (note) { note.textContent = ""; note.hidden = true; }
    var term = q.trim();
    state = null;
    if (!term) { status.textContent = "请输入要查找的词语。"; return Promise.resolve(); }
    status.textContent = "正在搜索……";
    return load("manifest.js").then(function () {
      var words = term.split(/\s+/).map(function (w) {
        var vs = variants(w);
        return { word: w, variants: vs, toks: vs.map(tokens) };
      }).filter(function (w) { return w.toks.some(function (t) { return t.length; }); });
      var keys = queryKeys(term);
      if (!words.length && !keys.length) {
        status.textContent = "请至少输入两个连续的汉字、字母或数字，例如“低保”。";
        return null;
      }
      var files = {};
      words.forEach(function (w) { w.toks.forEach(function (ts) { ts.forEach(function (t) { files[shardOf(t)] = true; }); }); });
      keys.forEach(function (t) { files[shardOf(t)] = true; });
      return Promise.all(Object.keys(files).map(function (k) { return load("s/" + k + ".js"); })).then(function () {
        return { words: words, keys: keys };
      });
    }).then(function (q) {
      if (!q || mine !== serial) return;
      // every word (through one of its variants) -> {record: all of it in the title}; where each word first
      // occurs in a record's text: the latest first portion of its tokens, the earliest over its variants
      var found = null, where = {};
      q.words.forEach(function (w) {
        var hitsOf = {};
        w.toks.forEach(function (ts) {
          if (!ts.length) return;
          var m = all(ts);
          for (var r in m) {
            var was = hitsOf[r];
            hitsOf[r] = was ? [was[0] || m[r][0], Math.min(was[1], m[r][1])] : m[r];
          }
        });
        for (var h in hitsOf) (where[h] = where[h] || []).push(hitsOf[h][1]);
        if (found === null) {
          found = {};
          for (var f in hitsOf) found[f] = hitsOf[f][0];
          return;
        }
        var next = {};
        for (var r in found) if (Object.prototype.hasOwnProperty.call(hitsOf, r)) next[r] = found[r] && hitsOf[r][0];
        found = next;
      });
      // the portion most words share, the first on a tie (searchindex.search_portions)
      function portionOf(r) {
        var ks = where[r] || [], best = 0, most = 0;
        ks.forEach(function (k) {
          var n = ks.filter(function (x) { return x === k; }).length;
          if (n > most || (n === most && k < best)) { most = n; best = k; }
        });
        return best;
      }
      var tiers = {};
      q.keys.forEach(function (key, rank) {
        for (var r in posting(key)) if (!(r in tiers)) tiers[r] = [0, rank];
      });
      for (var r in found || {}) if (!(r in tiers)) tiers[r] = [found[r] ? 1 : 2, 0];
      var results = Object.keys(tiers).map(function (r) {
        return { n: +r, tier: tiers[r][0], rank: tiers[r][1], piece: portionOf(r) };
      });
      results.sort(function (a, b) { return a.tier - b.tier || a.rank - b.rank || a.n - b.n; });
      var marks = [];
      q.words.forEach(function (w) { marks = marks.concat(w.variants.map(pattern).filter(Boolean)); });
      state = {
        term: term, results: results, shown: 0,
        marker: marks.length ? new RegExp(marks.sort(function (a, b) { return b.length - a.length; }).join("|"), "g") : null
      };
      var also = [];
      q.words.forEach(function (w) { w.variants.slice(1).forEach(function (v) { also.push("“" + v.replace(/ /g, "") + "”"); }); });
      if (note && also.length) {
        note.textContent = "同时查找了意思相同的说法：" + also.slice(0, 6).join("、") + (also.length > 6 ? " 等" : "") + "。";
        note.hidden = false;
      }
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
  more.addEventListener("click", function () { if (state) showMore(serial); });
  // load the manifest while the reader types: the first query then only loads its shards
  load("manifest.js").catch(function () { /* reported on search */ });
  var initial = new URL(location.href).searchParams.get("q");
  if (initial) { input.value = initial; search(initial); }
  window.gongkai = window.gongkai || {};
  window.gongkai.search = search;
})();
