/* gongkai: small progressive enhancements; the site works without JavaScript. */
(function () {
  "use strict";
  // Validity labels depend on today's date: recompute them in the reader's browser,
  // so a page opened after a document's expiry shows 已失效 even if the site was not rebuilt.
  var LABELS = { pending: "尚未生效", valid: "现行有效", amended: "已修改", expired: "已失效", repealed: "已废止" };
  function today() {
    var d = new Date();
    var m = d.getMonth() + 1, day = d.getDate();
    return d.getFullYear() + "-" + (m < 10 ? "0" + m : m) + "-" + (day < 10 ? "0" + day : day);
  }
  // checks/validity.py's rule, from a document's status and dates (policies.js uses it for rows it builds)
  function state(s, eff, exp, now) {
    if (s === "废止") return "repealed";
    if (s === "修改") return "amended";
    if (s === "失效") return "expired";
    if (eff && now < eff) return "pending";
    if (exp && now > exp) return "expired";
    return "valid";
  }
  function compute(el, now) {
    return state(el.getAttribute("data-status"), el.getAttribute("data-effective"), el.getAttribute("data-expires"), now);
  }
  function refreshValidity(root) {
    var now = today();
    var nodes = (root || document).querySelectorAll("[data-gk-validity]");
    for (var i = 0; i < nodes.length; i++) {
      var el = nodes[i], key = compute(el, now);
      el.textContent = LABELS[key];
      el.className = "gk-badge gk-badge--" + key;
      el.setAttribute("data-gk-state", key);
    }
    var banners = (root || document).querySelectorAll("[data-gk-validity-banner]");
    for (var j = 0; j < banners.length; j++) {
      var b = banners[j], k = compute(b, now);
      b.className = "gk-banner gk-banner--" + k;
      var t = b.querySelector("[data-gk-validity-text]");
      if (t) t.textContent = LABELS[k];
    }
  }
  window.gongkai = window.gongkai || {};
  window.gongkai.refreshValidity = refreshValidity;
  window.gongkai.today = today;
  window.gongkai.validityState = state;
  window.gongkai.validityLabels = LABELS;
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { refreshValidity(); });
  } else {
    refreshValidity();
  }
})();
