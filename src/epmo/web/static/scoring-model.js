// The scoring model's pairwise matrix: the lower triangle shows the reciprocal of what is
// typed in the upper one.
(function () {
  "use strict";
  function reciprocal(number) {
    var inverse = 1 / number;
    if (number >= 1 && Math.abs(number - Math.round(number)) < 1e-9) { return "1/" + Math.round(number); }
    return Math.abs(inverse - Math.round(inverse)) < 1e-9 ? String(Math.round(inverse)) : inverse.toFixed(3);
  }
  epmo.ready(function () {
    document.querySelectorAll("#pairwise input[data-cell]").forEach(function (input) {
      input.addEventListener("input", function () {
        var ij = input.dataset.cell.split("-"), value = input.value.trim(), parts = value.split("/");
        var number = parts.length === 2 ? parseFloat(parts[0]) / parseFloat(parts[1]) : parseFloat(value);
        var mirror = document.querySelector('#pairwise span[data-cell="' + ij[1] + "-" + ij[0] + '"]');
        if (!mirror) { return; }
        mirror.textContent = number > 0 ? reciprocal(number) : "?";
      });
    });
  });
}());
