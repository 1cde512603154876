/* gongkai 长辈版 (elderly mode): the header toggle. The class is set before first paint by an inline
   script in <head> (overrides/main.html); this file only switches it and remembers the choice. */
(function () {
  "use strict";
  var KEY = "gongkai.elder", CLS = "gk-elder", root = document.documentElement;
  function isOn() { return root.classList.contains(CLS); }
  function set(on) {
    root.classList.toggle(CLS, on);
    try { if (on) { localStorage.setItem(KEY, "1"); } else { localStorage.removeItem(KEY); } } catch (e) { /* private mode: this page only */ }
    var buttons = document.querySelectorAll("[data-gk-elder-toggle]");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].setAttribute("title", on ? "恢复标准字号和版面" : "大字号、高对比度、简洁版面");
    }
  }
  window.gongkai = window.gongkai || {};
  window.gongkai.elder = { isOn: isOn, set: set };
  document.addEventListener("click", function (ev) {
    var t = ev.target && ev.target.closest ? ev.target.closest("[data-gk-elder-toggle]") : null;
    if (!t) return;
    set(!isOn());
    t.focus();
  });
  set(isOn());
})();
/* Another tab switched the mode: follow it. */
window.addEventListener("storage", function (ev) {
  "use strict";
  if (ev.key === "gongkai.elder" && window.gongkai && window.gongkai.elder) {
    document.documentElement.classList.toggle("gk-elder", ev.newValue === "1");
  }
});
