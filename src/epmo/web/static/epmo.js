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

  // Wide tables scroll inside their own box, never the page (a 390 px phone): each table.table
  // not yet in a .table-responsive gets one, on load and in every piece htmx swaps in.
  function scrollTables(root) {
    var tables = [].slice.call(root.querySelectorAll ? root.querySelectorAll("table.table") : []);
    if (root.matches && root.matches("table.table")) { tables.push(root); }
    tables.forEach(function (table) {
      if (!table.parentNode || table.closest(".table-responsive")) { return; }
      var box = document.createElement("div");
      box.className = "table-responsive";
      table.parentNode.insertBefore(box, table);
      box.appendChild(table);
    });
  }
  // A box that scrolls (sideways, or down when a page caps its height) takes the keyboard's
  // focus, so it can be scrolled without a mouse.
  function focusScrollers() {
    document.querySelectorAll(".table-responsive, .gantt-scroll, .gantt-container").forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1 || box.scrollHeight > box.clientHeight + 1;
      if (scrolls) { box.tabIndex = 0; } else { box.removeAttribute("tabindex"); }
    });
  }
  ready(function () { scrollTables(document); focusScrollers(); });
  window.addEventListener("resize", focusScrollers);
  window.addEventListener("load", focusScrollers);
  document.addEventListener("htmx:load", function (event) { scrollTables(event.target); focusScrollers(); });

  // A form's extra mention fields (<div data-more-mention>): all show without script; with it
  // the empty ones hide and <button data-add-mention> (hidden without script) shows the next.
  function tidyMentions(root) {
    var sets = [].slice.call(root.querySelectorAll ? root.querySelectorAll("fieldset") : []);
    sets.forEach(function (set) {
      var more = [].slice.call(set.querySelectorAll("[data-more-mention]"));
      var button = set.querySelector("[data-add-mention]");
      if (!more.length || !button) { return; }
      more.forEach(function (box) { box.hidden = !box.querySelector("input").value; });
      button.hidden = !more.some(function (box) { return box.hidden; });
    });
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-add-mention]");
    if (!button) { return; }
    var next = button.parentNode.querySelector("[data-more-mention][hidden]");
    if (next) { next.hidden = false; next.querySelector("input").focus(); }
    button.hidden = !button.parentNode.querySelector("[data-more-mention][hidden]");
  });
  ready(function () { tidyMentions(document); });
  document.addEventListener("htmx:load", function (event) { tidyMentions(event.target); });

  window.epmo = { escape: escape, lines: lines, data: data, ready: ready, money: money };
  window.epmo.chartTable = chartTable;  // below: a chart's data as a table


  // --- a chart's data as a table --------------------------------------------------------
  // Under each chart, <details class="chart-data"> holds what the chart draws as a table (for
  // a screen reader, a keyboard, a print-out), built from the chart's own option so it always
  // says what is drawn. spec (all optional): columns, the names of a point's values (scatter
  // charts); key, which of those names the row; format(value), a cell's text.
  function cell(value, spec) {
    if (value !== null && typeof value === "object" && !Array.isArray(value)) { value = value.value; }
    if (spec.format) { return String(spec.format(value)); }
    if (value === null || value === undefined || value === "-") { return "—"; }
    return typeof value === "number" ? value.toLocaleString(undefined, { maximumFractionDigits: 2 }) : String(value);
  }

  function category(option) {
    var axes = (option.xAxis || []).concat(option.yAxis || []);
    return axes.filter(function (axis) { return axis.type === "category" && axis.data; })[0];
  }

  function chartRows(option, spec) {
    var series = option.series || [], first = series[0] || {}, axis = category(option);
    var named = function (s) { return s.name || ""; };
    if (!series.length) { return { head: [""], rows: [] }; }  // an empty chart says so in its title
    if (first.type === "pie") {
      return { head: ["", "value"], rows: (first.data || []).map(function (d) { return [d.name, cell(d, spec)]; }) };
    }
    if (first.type === "radar") {
      var names = option.radar[0].indicator.map(function (i) { return i.name; });
      return { head: [""].concat(first.data.map(named)),
               rows: names.map(function (n, i) { return [n].concat(first.data.map(function (d) { return cell(d.value[i], spec); })); }) };
    }
    if (first.type === "heatmap") {
      var xs = option.xAxis[0].data, ys = option.yAxis[0].data;
      var grid = ys.map(function (y) { return [y].concat(xs.map(function () { return "—"; })); });
      first.data.forEach(function (d) { grid[d[1]][d[0] + 1] = cell(d[2], spec); });
      return { head: [""].concat(xs), rows: grid };
    }
    if (axis) {
      return { head: [""].concat(series.map(named)), rows: axis.data.map(function (label, i) {
        return [typeof label === "object" ? label.value : label].concat(series.map(function (s) { return cell(s.data[i], spec); }));
      }) };
    }
    var columns = spec.columns || [option.xAxis[0].name || "x", option.yAxis[0].name || "y"];
    var several = series.length > 1, key = columns.indexOf(spec.key);
    var rows = [];
    series.forEach(function (s) {
      (s.data || []).forEach(function (point) {
        var values = columns.map(function (_, i) { return cell(Array.isArray(point) ? point[i] : (point.value || [])[i], spec); });
        if (key > 0) { values.unshift(values.splice(key, 1)[0]); }
        rows.push(several ? [values[0], s.name].concat(values.slice(1)) : values);
      });
    });
    var head = key > 0 ? [columns[key]].concat(columns.filter(function (_, i) { return i !== key; })) : columns.slice();
    if (several) { head.splice(1, 0, "series"); }
    return { head: head, rows: rows };
  }

  function chartTable(chart, spec) {
    spec = spec || {};
    var element = chart.getDom(), found = chartRows(chart.getOption(), spec);
    var table = document.createElement("table");
    table.className = "table table-sm table-tight mb-0";
    var caption = table.createCaption();
    caption.textContent = element.getAttribute("aria-label") || "Chart data";
    var head = table.createTHead().insertRow();
    found.head.forEach(function (text) {
      var th = document.createElement("th");
      th.scope = "col";
      th.textContent = text;
      head.appendChild(th);
    });
    var body = table.createTBody();
    found.rows.forEach(function (values) {
      var row = body.insertRow();
      values.forEach(function (text, i) {
        var c = document.createElement(i === 0 ? "th" : "td");
        if (i === 0) { c.scope = "row"; }
        c.textContent = text;
        row.appendChild(c);
      });
    });
    if (!found.rows.length) { body.insertRow().insertCell().textContent = "No data."; }
    var box = document.createElement("details");
    box.className = "chart-data";
    box.setAttribute("data-chart", element.id);
    box.innerHTML = "<summary>Chart data as a table</summary>";
    var scroll = document.createElement("div");
    scroll.className = "table-responsive";
    scroll.appendChild(table);
    box.appendChild(scroll);
    var old = element.parentNode.querySelector("details.chart-data[data-chart=\"" + element.id + "\"]");
    if (old) { old.remove(); }
    element.insertAdjacentElement("afterend", box);
    if (!element.getAttribute("role")) { element.setAttribute("role", "img"); }
    return box;
  }
}());
