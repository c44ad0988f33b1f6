// The roadmap's timeline: frappe-gantt over the projects and milestones the table lists.
(function () {
  "use strict";
  function draw() {
    var holder = document.getElementById("roadmap-gantt");
    var found = epmo.data("roadmap-data");
    if (!holder || !found || typeof Gantt === "undefined") { return; }
    if (!found.length) { holder.textContent = "Nothing to draw."; return; }
    // frappe-gantt writes names with innerHTML: escape them (a project named
    // "<img onerror=...>" must not run in the reader's page).
    var tasks = found.map(function (t) { return Object.assign({}, t, { name: epmo.escape(t.name) }); });
    new Gantt(holder, tasks, {
      view_mode: holder.getAttribute("data-zoom") || "Month",
      readonly: true,
      scroll_to: "today",
      popup_on: "hover",
      bar_height: 16,
      padding: 10,
      today_button: false,
    });
  }
  epmo.ready(draw);
})();
