// The ranking page's bubble chart: score against risk, bubble size by cost, one series per
// department; request codes and titles reach the tooltip escaped (members type the titles).
(function () {
  "use strict";
  epmo.ready(function () {
    var data = epmo.data("bubble-data");
    var element = document.getElementById("bubble-chart");
    if (!data || !element || typeof echarts === "undefined") { return; }
    var size = function (cost) { return data.max_cost > 0 ? 8 + 52 * Math.sqrt(cost / data.max_cost) : 16; };
    var chart = echarts.init(element);
    chart.setOption({
      tooltip: { formatter: function (p) {
        var v = p.value;
        return epmo.lines([v[3] + " " + v[4],
                           "score " + v[0].toFixed(1) + ", risk " + v[1] + ", cost " + epmo.money(v[2])]);
      } },
      legend: { bottom: 0, type: "scroll" },
      grid: { left: 8, right: 24, top: 24, bottom: 48, containLabel: true },
      xAxis: { type: "value", name: "score (value)", min: 0, max: 100 },
      yAxis: { type: "value", name: "risk rating", min: 0, max: 6, interval: 1 },
      series: data.departments.map(function (d, index) {
        var series = { name: d, type: "scatter", data: data.points[d], symbolSize: function (v) { return size(v[2]); },
                       itemStyle: { opacity: 0.7 } };
        if (index === 0) {
          series.markLine = { silent: true, symbol: "none", data: [{ xAxis: data.threshold }], label: { formatter: "minimum" } };
        }
        return series;
      })
    });
    epmo.chartTable(chart, { columns: ["score", "risk rating", "cost", "request", "title"], key: "request" });
    window.addEventListener("resize", function () { chart.resize(); });
  });
}());
