/* gongkai search page: queries the Pagefind index in ../pagefind/ (written by gongkai/search.py).
   Over file:// browsers refuse to load the index: the page says so and points to the policy list. */
(function () {
  "use strict";
  var PAGE_SIZE = 10;
  var script = document.currentScript;
  var root = new URL("../../", script.src); // assets/gongkai/search.js -> site root
  var form = document.querySelector("[data-gk-search-form]");
  var input = document.getElementById("gk-search-q");
  var status = document.querySelector("[data-gk-search-status]");
  var list = document.querySelector("[data-gk-search-results]");
  var more = document.querySelector("[data-gk-search-more]");
  var offline = document.querySelector("[data-gk-search-offline]");
  var pagefind = null, results = [], shown = 0, serial = 0;

  if (location.protocol === "file:") {
    offline.hidden = false;
    form.hidden = true;
    return;
  }

  function load() {
    if (!pagefind) {
      pagefind = import(new URL("pagefind/pagefind.js", root).href).then(function (pf) {
        return pf.options({ excerptLength: 40 }).then(function () { return pf; });
      });
    }
    return pagefind;
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  }

  // Pagefind's excerpt is escaped text with <mark> around the matches: keep only those marks.
  function excerpt(html) {
    var p = el("p", "gk-result__excerpt");
    var parts = String(html).split(/(<mark>|<\/mark>)/), inMark = false;
    for (var i = 0; i < parts.length; i++) {
      if (parts[i] === "<mark>") { inMark = true; continue; }
      if (parts[i] === "</mark>") { inMark = false; continue; }
      var t = document.createElement("textarea");
      t.innerHTML = parts[i];
      var text = document.createTextNode(t.value);
      if (inMark) { var m = el("mark"); m.appendChild(text); p.appendChild(m); } else { p.appendChild(text); }
    }
    return p;
  }

  function render(data) {
    var m = data.meta || {};
    var li = el("li", "gk-result");
    var a = el("a", "gk-result__title", m.title || data.url);
    a.href = data.url;
    li.appendChild(a);
    var meta = el("p", "gk-result__meta");
    meta.appendChild(el("span", "", m.kind || "页面"));
    if (m.doc_number) meta.appendChild(el("span", "", "文号：" + m.doc_number));
    if (m.date) { var d = el("span", ""); var tm = el("time", "", m.date); tm.setAttribute("datetime", m.date); d.appendChild(document.createTextNode("发布日期：")); d.appendChild(tm); meta.appendChild(d); }
    if (m.trail) meta.appendChild(el("span", "", "位置：" + m.trail));
    if (m.validity) {
      var v = el("span", "");
      v.appendChild(document.createTextNode("有效性："));
      var b = el("span", "gk-badge", m.validity);
      b.setAttribute("data-gk-validity", "");
      b.setAttribute("data-status", m.status || "");
      b.setAttribute("data-effective", m.effective || "");
      b.setAttribute("data-expires", m.expires || "");
      v.appendChild(b);
      meta.appendChild(v);
    }
    li.appendChild(meta);
    li.appendChild(excerpt(data.excerpt || ""));
    return li;
  }

  function showMore(mine) {
    var batch = results.slice(shown, shown + PAGE_SIZE);
    return Promise.all(batch.map(function (r) { return r.data(); })).then(function (items) {
      if (mine !== serial) return;
      items.forEach(function (data) { list.appendChild(render(data)); });
      shown += batch.length;
      if (window.gongkai && window.gongkai.refreshValidity) window.gongkai.refreshValidity(list);
      more.hidden = shown >= results.length;
    });
  }

  function search(term) {
    var mine = ++serial;
    list.textContent = "";
    more.hidden = true;
    results = []; shown = 0;
    term = term.trim();
    if (!term) { status.textContent = "请输入要查找的词语。"; return Promise.resolve(); }
    status.textContent = "正在搜索……";
    return load().then(function (pf) { return pf.search(term); }).then(function (res) {
      if (mine !== serial) return;
      results = res.results;
      // The status (a live region) speaks once the first results are on the page.
      return showMore(mine).then(function () {
        if (mine !== serial) return;
        status.textContent = results.length ? "找到 " + results.length + " 条与“" + term + "”有关的结果。" : "没有找到与“" + term + "”有关的结果，请换一个词试试。";
      });
    }).catch(function () {
      if (mine !== serial) return;
      status.textContent = "搜索暂时无法使用，请稍后再试。";
    });
  }

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var q = input.value;
    var url = new URL(location.href);
    url.searchParams.set("q", q);
    history.replaceState(null, "", url.href);
    search(q);
  });
  more.addEventListener("click", function () { showMore(serial); });
  // Fetch the search code and index metadata while the reader types: the first query only loads its words.
  load().then(function (pf) { return pf.init ? pf.init() : null; }).catch(function () { /* reported on search */ });
  var initial = new URL(location.href).searchParams.get("q");
  if (initial) { input.value = initial; search(initial); }
  window.gongkai = window.gongkai || {};
  window.gongkai.search = search;
})();
