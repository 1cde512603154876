/* gongkai: 公众参与. A 征求意见's state (未开始 / 征集中 / 已截止) depends on the reader's date, not the build date:
   recompute it in the browser, as gongkai.js does for validity labels. Works without it (the build date's state). */
(function () {
  "use strict";
  var STATES = { upcoming: "未开始", open: "征集中", closed: "已截止" };
  function today() {
    if (window.gongkai && window.gongkai.today) return window.gongkai.today();
    var d = new Date(), m = d.getMonth() + 1, day = d.getDate();
    return d.getFullYear() + "-" + (m < 10 ? "0" + m : m) + "-" + (day < 10 ? "0" + day : day);
  }
  function refreshConsultations(root) {
    var now = today();
    var nodes = (root || document).querySelectorAll("[data-gk-consult]");
    for (var i = 0; i < nodes.length; i++) {
      var el = nodes[i], start = el.getAttribute("data-start"), end = el.getAttribute("data-end");
      var key = now < start ? "upcoming" : now <= end ? "open" : "closed";
      el.textContent = STATES[key];
      el.className = "gk-consult-state gk-consult-state--" + key;
      el.setAttribute("data-gk-state", key);
    }
  }
  window.gongkai = window.gongkai || {};
  window.gongkai.refreshConsultations = refreshConsultations;
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { refreshConsultations(); });
  } else {
    refreshConsultations();
  }
})();
