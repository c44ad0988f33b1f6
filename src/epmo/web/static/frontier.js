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
      head.textContent = "Budget " + epmo.money(p.total_budget) + ": value " + p.value.toLocaleString() + ", " + names.length + " items (" + p.status + ")";
      var list = document.createElement("ul");
      list.id = "frontier-items";
      names.forEach(function (n) { var li = document.createElement("li"); li.textContent = n; list.appendChild(li); });
      box.appendChild(head);
      box.appendChild(list);
    }
    // containLabel counts tick labels, not axis names: the grid keeps room for the y name on
    // top, the x name below the labels, the legend under it and the last tick on the right.
    var series = [{ type: "line", name: "frontier", step: "end", symbolSize: 10, data: data.points.map(function (p) { return [p.total_budget, p.value]; }) }];
    if (data.current) {
      // The scenario's own solve: a distinct marker with its own legend entry.
      series.push({ type: "scatter", name: "this scenario (" + data.current.name + ")", id: "current", symbol: "diamond", symbolSize: 18, z: 3,
        itemStyle: { color: "#d63939", borderColor: "#fff", borderWidth: 1 }, data: [[data.current.total_budget, data.current.value]] });
    }
    chart.setOption({
      tooltip: { trigger: "item", formatter: function (p) {
        return epmo.lines(["budget " + epmo.money(p.value[0]), "value " + p.value[1].toLocaleString()]);
      } },
      legend: { bottom: 0, left: "center", type: "scroll" },
      grid: { left: 8, right: 40, top: 32, bottom: 56, containLabel: true },
      xAxis: { type: "value", name: "total budget", nameLocation: "middle", nameGap: 28, scale: true, axisLabel: { hideOverlap: true, formatter: function (v) { return epmo.money(v, true); } } },
      yAxis: { type: "value", name: "value", nameLocation: "end", nameGap: 12, nameTextStyle: { align: "left" } },
      series: series
    });
    chart.on("click", function (e) {
      if (e.seriesIndex === 0) { show(e.dataIndex); return; }
      // The marker sits on the frontier: show the frontier point at the scenario's budget.
      var at = 0;
      data.points.forEach(function (p, i) { if (p.total_budget <= data.current.total_budget * (1 + 1e-9)) { at = i; } });
      show(at);
    });
    epmo.chartTable(chart);
    window.addEventListener("resize", function () { chart.resize(); });
  });
}());
