// The network graph page: cytoscape + dagre, coloured by department, slips outlined in red;
// a chosen change event or a what-if result highlights the path the change travels.
(function () {
  "use strict";
  var box = document.getElementById("network-graph");
  if (!box || typeof cytoscape === "undefined") { return; }
  if (typeof cytoscapeDagre !== "undefined") { cytoscape.use(cytoscapeDagre); }
  var status = document.getElementById("network-status");
  var palette = ["#206bc4", "#2fb344", "#f76707", "#ae3ec9", "#0ca678", "#d63939", "#4263eb",
                 "#f59f00", "#17a2b8", "#74b816"];
  var cy = null;

  function colour(node) { return palette[(node.data("department_id") || 0) % palette.length]; }

  function draw(graph) {
    cy = cytoscape({
      container: box,
      elements: graph.nodes.concat(graph.edges),
      style: [
        { selector: "node", style: { "label": "data(label)", "font-size": 10,
          "background-color": colour, "text-valign": "bottom", "text-wrap": "ellipsis",
          "text-max-width": 120 } },
        { selector: "node[kind = 'project']", style: { "background-opacity": 0.12,
          "text-valign": "top", "shape": "round-rectangle" } },
        { selector: "node[kind = 'hidden']", style: { "shape": "diamond",
          "background-color": "#adb5bd" } },
        { selector: "node[slip > 0]", style: { "border-width": 3, "border-color": "#d63939" } },
        { selector: "edge", style: { "curve-style": "bezier", "target-arrow-shape": "triangle",
          "width": 1.5, "line-color": "#868e96", "target-arrow-color": "#868e96",
          "label": "data(type)", "font-size": 8 } },
        { selector: "edge[status = 'proposed']", style: { "line-style": "dashed",
          "line-color": "#f59f00", "target-arrow-color": "#f59f00" } },
        { selector: ".hl", style: { "line-color": "#d63939", "target-arrow-color": "#d63939",
          "width": 4, "border-width": 5, "border-color": "#d63939", "z-index": 10 } },
        { selector: ".faded", style: { "opacity": 0.25 } }
      ],
      layout: { name: typeof cytoscapeDagre !== "undefined" ? "dagre" : "breadthfirst",
                rankDir: "LR", nodeSep: 20, rankSep: 60 }
    });
    status.textContent = graph.nodes.length + " nodes, " + graph.edges.length + " dependencies";
  }

  function highlight(path) {
    if (!cy) { return; }
    var ids = {};
    path.forEach(function (id) { ids[id] = true; });
    cy.elements().removeClass("hl faded");
    if (!path.length) { return; }
    cy.nodes().forEach(function (n) { n.addClass(ids[n.id()] ? "hl" : "faded"); });
    cy.edges().forEach(function (e) {
      var on = ids[e.data("source")] && ids[e.data("target")];
      e.addClass(on ? "hl" : "faded");
    });
  }

  fetch(box.dataset.source, { credentials: "same-origin" })
    .then(function (r) { return r.json(); })
    .then(draw)
    .catch(function () { status.textContent = "The network could not be loaded."; });

  document.querySelectorAll("#recent-changes [data-event]").forEach(function (button) {
    button.addEventListener("click", function () {
      fetch("/api/v1/change-events/" + button.dataset.event, { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (event) {
          var path = [];
          (event.impacts || []).forEach(function (i) { path = path.concat(i.path); });
          highlight(path);
        });
    });
  });

  document.body.addEventListener("htmx:afterSwap", function (e) {
    var table = document.getElementById("impact-table");
    if (table && e.target.id === "what-if-result") {
      highlight(JSON.parse(table.dataset.highlight || "[]"));
    }
  });
}());
