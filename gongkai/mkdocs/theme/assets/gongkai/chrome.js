/* gongkai: the header's behaviour — the 长辈版 toggle and the menu button of the drawer of columns.
   The page works without this file: 长辈版 is then unavailable (its button stays hidden) and Material's label
   still opens the drawer. */

/* 长辈版 (elderly mode). The class is set before first paint by an inline script in <head> (gongkai.html);
   this only switches it and remembers the choice. */
(function () {
  "use strict";
  var KEY = "gongkai.elder", CLS = "gk-elder", root = document.documentElement;
  var pending = false;  /* fitPlaceholders: a resize waiting for its frame */
  function isOn() { return root.classList.contains(CLS); }
  function set(on) {
    root.classList.toggle(CLS, on);
    fitPlaceholders();
    try { if (on) { localStorage.setItem(KEY, "1"); } else { localStorage.removeItem(KEY); } } catch (e) { /* private mode: this page only */ }
    var buttons = document.querySelectorAll("[data-gk-elder-toggle]");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].setAttribute("title", on ? "恢复标准字号和版面" : "大字号、高对比度、简洁版面");
    }
  }
  window.gongkai = window.gongkai || {};
  window.gongkai.elder = { isOn: isOn, set: set };
  window.gongkai.fitPlaceholders = fitPlaceholders;  /* for a field a script shows later (the 政策文件 search box) */
  document.addEventListener("click", function (ev) {
    var t = ev.target && ev.target.closest ? ev.target.closest("[data-gk-elder-toggle]") : null;
    if (!t) return;
    set(!isOn());
    t.focus();
  });
  set(isOn());
  /* Another tab switched the mode: follow it. */
  window.addEventListener("storage", function (ev) {
    if (ev.key === KEY) { root.classList.toggle(CLS, ev.newValue === "1"); fitPlaceholders(); }
  });
  window.addEventListener("resize", function () {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(function () { pending = false; fitPlaceholders(); });
  });

  /* A field whose placeholder may not fit (the header's search box shares a phone's row with 搜索 and 退出长辈版:
     in 长辈版's large type at 320 px it showed 「搜索文」) carries a shorter one, data-gk-short-placeholder: used only
     while the full one would be cut, and no placeholder at all when even the short one would be (its label says
     what the box is for). Measured as the browser lays it out: the text put in the empty box, its scrollWidth
     against its clientWidth — which counts the room a search box keeps for its clear button. */
  function fits(f, text) {
    if (!text) return true;
    f.value = text;
    var ok = f.scrollWidth <= f.clientWidth;
    f.value = "";
    return ok;
  }
  function fitPlaceholders() {
    var fields = document.querySelectorAll("[data-gk-short-placeholder]");
    for (var i = 0; i < fields.length; i++) {
      var f = fields[i];
      if (!f.hasAttribute("data-gk-placeholder")) f.setAttribute("data-gk-placeholder", f.getAttribute("placeholder") || "");
      if (!f.clientWidth || f.value) continue;  /* not shown, or the reader is typing (no placeholder shown): keep */
      var choices = [f.getAttribute("data-gk-placeholder"), f.getAttribute("data-gk-short-placeholder"), ""];
      for (var c = 0; c < choices.length; c++) {
        if (fits(f, choices[c])) { f.setAttribute("placeholder", choices[c]); break; }
      }
    }
  }
})();

/* The drawer of columns at narrow widths (and at 400 % zoom). Material opens it with a checkbox (#__drawer) and a
   <label>, which the keyboard cannot reach; here a real <button aria-expanded> drives the same checkbox. While the
   drawer is closed its links are `inert` (and hidden by chrome.css), so Tab never lands on a link off-screen.
   Opening moves the focus into the drawer; Escape, or moving the focus out of it, closes it. */
(function () {
  "use strict";
  var toggle = document.getElementById("__drawer");
  var button = document.querySelector("[data-gk-menu]");
  var drawer = document.getElementById("gk-drawer");
  if (!toggle || !button || !drawer || !window.matchMedia) return;
  var narrow = window.matchMedia("(max-width: 76.234375em)");
  button.hidden = false;

  function sync() {
    var open = toggle.checked;
    button.setAttribute("aria-expanded", open ? "true" : "false");
    button.setAttribute("aria-label", open ? "关闭栏目导航" : "打开栏目导航");
    if (narrow.matches && !open) drawer.setAttribute("inert", "");
    else drawer.removeAttribute("inert");
  }
  function set(open, focus) {
    if (toggle.checked !== open) {
      toggle.checked = open;
      toggle.dispatchEvent(new Event("change", { bubbles: true })); // Material locks the page's scrolling
    }
    sync();
    if (open && focus) {
      var first = drawer.querySelector("a[href], [tabindex='0']");
      if (first) first.focus();
    }
    if (!open && focus) button.focus();
  }
  button.addEventListener("click", function () { set(!toggle.checked, true); });
  toggle.addEventListener("change", sync);
  document.addEventListener("keydown", function (ev) {
    if ((ev.key === "Escape" || ev.key === "Esc") && toggle.checked && narrow.matches) set(false, true);
  });
  document.addEventListener("focusin", function (ev) {
    if (toggle.checked && narrow.matches && !drawer.contains(ev.target) && ev.target !== button) set(false, false);
  });
  if (narrow.addEventListener) narrow.addEventListener("change", sync);
  else if (narrow.addListener) narrow.addListener(sync);
  sync();
})();

/* Material's nested navigation lists are named by a label that holds only an arrow icon: every one of them would
   be a landmark with an empty name. Name each after its section (the title of its panel). */
(function () {
  "use strict";
  var navs = document.querySelectorAll("nav.md-nav[aria-labelledby]");
  for (var i = 0; i < navs.length; i++) {
    var title = navs[i].querySelector(":scope > .md-nav__title");
    var name = title ? title.textContent.replace(/\s+/g, " ").trim() : "";
    if (name) { navs[i].removeAttribute("aria-labelledby"); navs[i].setAttribute("aria-label", name + " 栏目"); }
  }
})();
