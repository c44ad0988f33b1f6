// The intake request form's "Add row" buttons (data-add-row="<table id>"): copy the table's
// last row with its inputs emptied and its error marks removed.
(function () {
  "use strict";
  epmo.ready(function () {
    document.querySelectorAll("[data-add-row]").forEach(function (button) {
      button.addEventListener("click", function () {
        var table = document.getElementById(button.dataset.addRow);
        var row = table.rows[table.rows.length - 1].cloneNode(true);
        row.querySelectorAll("input, select").forEach(function (el) { el.value = ""; el.classList.remove("is-invalid"); });
        row.querySelectorAll(".invalid-feedback").forEach(function (el) { el.remove(); });
        table.tBodies[0].appendChild(row);
      });
    });
  });
}());
