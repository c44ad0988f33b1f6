// The schedule page's Gantt: frappe-gantt over the activities the table shows.
(function () {
  "use strict";
  function draw() {
    var holder = document.getElementById("schedule-gantt");
    var found = epmo.data("gantt-data");
    if (!holder || !found || typeof Gantt === "undefined") { return; }
    var tasks = found.map(function (t) {
      // frappe-gantt puts the name into the bar label and the popup with innerHTML:
      // escape it, or an activity named "<img onerror=...>" would run in the reader's page.
      return Object.assign({}, t, { name: epmo.escape(t.name) });
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
  epmo.ready(draw);
})();
