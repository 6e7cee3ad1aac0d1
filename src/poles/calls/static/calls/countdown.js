// Countdowns of the calls pages: the server writes "clôture dans 3 jours"; this keeps the figure
// current while the page stays open, in the page's language (Intl.RelativeTimeFormat). No inline script.
(function () {
  "use strict";
  var lang = document.documentElement.lang || "fr";
  if (!window.Intl || !Intl.RelativeTimeFormat) { return; }
  var format = new Intl.RelativeTimeFormat(lang, { numeric: "always" });
  var prefix = lang.indexOf("en") === 0 ? "closes " : "clôture ";
  function tick() {
    var now = Date.now();
    document.querySelectorAll(".poles-countdown[data-closes]").forEach(function (el) {
      var left = parseInt(el.getAttribute("data-closes"), 10) - now / 1000;
      if (isNaN(left)) { return; }
      if (left < 0) { el.textContent = lang.indexOf("en") === 0 ? "closed" : "clos"; return; }
      var days = Math.floor(left / 86400), hours = Math.floor(left / 3600), minutes = Math.max(1, Math.floor(left / 60));
      el.textContent = prefix + (days >= 1 ? format.format(days, "day") : hours >= 1 ? format.format(hours, "hour")
        : format.format(minutes, "minute"));
    });
  }
  tick();
  window.setInterval(tick, 30000);
})();
