// The scenario page's efficient frontier: best value at each budget level; a click on a point
// lists that portfolio's items (as text) below the chart.
(function () {
  "use strict";
  epmo.ready(function () {
    var data = epmo.data("frontier-data");
    var element = document.getElementById("frontier-chart");
    var box = document.getElementById("frontier-portfolio");
    if (!data || !element || !box || typeof echarts === "undefined") { return; }
    var chart = echarts.init(element);
    function show(index) {
      var p = data.points[index];
      var names = p.selected.map(function (id) { return data.labels[id] || String(id); });
      box.replaceChildren();
      var head = document.createElement("p");
      head.className = "fw-bold";
      head.textContent = "Budget " + p.total_budget.toLocaleString() + ": value " + p.value.toLocaleString() + ", " + names.length + " items (" + p.status + ")";
      var list = document.createElement("ul");
      list.id = "frontier-items";
      names.forEach(function (n) { var li = document.createElement("li"); li.textContent = n; list.appendChild(li); });
      box.appendChild(head);
      box.appendChild(list);
    }
    chart.setOption({
      tooltip: { trigger: "item", formatter: function (p) {
        return epmo.lines(["budget " + p.value[0].toLocaleString(), "value " + p.value[1].toLocaleString()]);
      } },
      grid: { left: 8, right: 16, top: 16, bottom: 24, containLabel: true },
      xAxis: { type: "value", name: "total budget", scale: true },
      yAxis: { type: "value", name: "value" },
      series: [{ type: "line", step: "end", symbolSize: 10, data: data.points.map(function (p) { return [p.total_budget, p.value]; }) }]
    });
    epmo.chartTable(chart);
    chart.on("click", function (e) { show(e.dataIndex); });
    window.addEventListener("resize", function () { chart.resize(); });
  });
}());
