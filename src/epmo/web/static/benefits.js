// The benefits register's chart: planned and realised per month (bars) and their running
// totals (lines), in the headline unit; values are numbers, escaped all the same.
(function () {
  "use strict";
  epmo.ready(function () {
    var data = epmo.data("benefits-data");
    var element = document.getElementById("benefits-chart");
    if (!data || !element || typeof echarts === "undefined") { return; }
    var number = function (v) { return v == null ? null : Number(v); };
    var chart = echarts.init(element);
    chart.setOption({
      tooltip: { trigger: "axis", valueFormatter: function (v) {
        return v == null ? "—" : data.unit === "money" ? epmo.escape(epmo.money(v))
          : epmo.escape(v.toLocaleString()) + " " + epmo.escape(data.unit); } },
      legend: { bottom: 0, type: "scroll" },
      grid: { left: 8, right: 8, top: 16, bottom: 48, containLabel: true },
      xAxis: { type: "category", data: data.months },
      yAxis: [{ type: "value", name: "per month" }, { type: "value", name: "to date" }],
      series: [
        { name: "Planned", type: "bar", data: data.planned.map(number), itemStyle: { color: "#a5b4fc" } },
        { name: "Realised", type: "bar", data: data.realised.map(number), itemStyle: { color: "#2fb344" } },
        { name: "Planned, running total", type: "line", yAxisIndex: 1, data: data.planned_cumulative.map(number), lineStyle: { type: "dashed" } },
        { name: "Realised, running total", type: "line", yAxisIndex: 1, data: data.realised_cumulative.map(number), connectNulls: false }
      ]
    });
    epmo.chartTable(chart);
    window.addEventListener("resize", function () { chart.resize(); });
  });
}());
