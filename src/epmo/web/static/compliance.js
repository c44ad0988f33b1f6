// The compliance dashboard's league over time: one line per department (codes) and the
// enterprise; the tooltip's values are numbers, escaped all the same like every formatter's.
(function () {
  "use strict";
  epmo.ready(function () {
    var data = epmo.data("league-data");
    var element = document.getElementById("league-chart");
    if (!data || !element || typeof echarts === "undefined") { return; }
    var chart = echarts.init(element);
    chart.setOption({
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v == null ? "—" : epmo.escape(v.toFixed(1)); } },
      legend: { bottom: 0, type: "scroll", selected: data.selected },
      grid: { left: 8, right: 16, top: 16, bottom: 48, containLabel: true },
      xAxis: { type: "category", data: data.days },
      yAxis: { type: "value", min: 0, max: 100 },
      series: data.series.map(function (s) {
        return { name: s.name, type: "line", data: s.data, connectNulls: true,
                 lineStyle: s.name === "ENTERPRISE" ? { width: 3 } : { width: 1.5 } };
      })
    });
    epmo.chartTable(chart);
    window.addEventListener("resize", function () { chart.resize(); });
  });
}());
