// Shared by every page (loaded in base.html, before any page script). Pages run no inline
// script (the Content-Security-Policy forbids it), so what templates used to do inline lives
// here or in a page's own static file, wired by data-* attributes.
(function () {
  "use strict";

  var ENTITIES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" };

  // Text for HTML: chart libraries (ECharts tooltips) put a formatter's result into the page as
  // HTML, so every name, title or code a formatter returns goes through here first.
  function escape(value) {
    return String(value === null || value === undefined ? "" : value)
      .replace(/[&<>"']/g, function (c) { return ENTITIES[c]; });
  }

  // A tooltip of several lines: each line escaped, joined by <br>.
  function lines(list) {
    return list.map(escape).join("<br>");
  }

  // The JSON a template embeds in <script type="application/json" id="..."> (rendered with
  // Jinja's tojson), or null when the page has none.
  function data(id) {
    var source = document.getElementById(id);
    return source ? JSON.parse(source.textContent) : null;
  }

  // Run start() once the page is parsed (page scripts sit at the end of <body> or are deferred).
  function ready(start) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", start);
    } else {
      start();
    }
  }

  // The hub's money in its locale and currency (EPMO_LOCALE, EPMO_CURRENCY, which base.html
  // puts on <html>): full ("€1,234,567.00") or compact ("€1.2M") for axes and tight tooltips.
  // ``currency`` names another currency (a business case keeps its own). Plain text: escape it
  // before it reaches HTML.
  var moneyFormats = {};
  function money(value, compact, currency) {
    if (value === null || value === undefined || value === "" || isNaN(Number(value))) { return ""; }
    var root = document.documentElement;
    var locale = root.getAttribute("data-locale") || "en-GB";
    var code = currency || root.getAttribute("data-currency") || "EUR";
    var key = locale + "|" + code + "|" + (compact ? "c" : "f");
    if (!moneyFormats[key]) {
      var options = { style: "currency", currency: code };
      if (compact) { options.notation = "compact"; options.maximumFractionDigits = 1; }
      moneyFormats[key] = new Intl.NumberFormat(locale, options);
    }
    return moneyFormats[key].format(Number(value));
  }

  // <form data-confirm="Delete this item?">: ask before submitting (was an inline onsubmit).
  document.addEventListener("submit", function (event) {
    var question = event.target.getAttribute && event.target.getAttribute("data-confirm");
    if (question && !window.confirm(question)) { event.preventDefault(); }
  }, true);

  // <button data-back>: return to the page before (an error page's "Go back"); the browser
  // keeps what was typed into that page's form.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-back]");
    if (button) { event.preventDefault(); window.history.back(); }
  });

  // A link to "#comment-7" on a page whose comments htmx loads after the page (the comments
  // slot): scroll to the comment once it arrives.
  document.addEventListener("htmx:afterSettle", function (event) {
    var id = window.location.hash.slice(1);
    var found = id && event.target.id === "comments-slot" && document.getElementById(id);
    if (found) { found.scrollIntoView(); }
  });

  window.epmo = { escape: escape, lines: lines, data: data, ready: ready, money: money };
}());
