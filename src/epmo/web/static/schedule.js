// The schedule page's Gantt: frappe-gantt over the activities the table shows.
(function () {
  "use strict";
  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  function draw() {
    var holder = document.getElementById("schedule-gantt");
    var data = document.getElementById("gantt-data");
    if (!holder || !data || typeof Gantt === "undefined") { return; }
    var tasks = JSON.parse(data.textContent || "[]").map(function (t) {
      // frappe-gantt puts the name into the bar label and the popup with innerHTML:
      // escape it, or an activity named "<img onerror=...>" would run in the reader's page.
      return Object.assign({}, t, { name: escapeHtml(t.name) });
    });
    if (!tasks.length) { holder.textContent = "No dated activities to draw."; return; }
    new Gantt(holder, tasks, {
      view_mode: tasks.length > 60 ? "Month" : "Week",
      readonly: true,
      scroll_to: "start",
      popup_on: "hover",
      bar_height: 18,
      padding: 12,
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else { draw(); }
})();
