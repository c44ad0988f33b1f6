// A diagnostic round's charts: the radar of maturity by capability (0 to 5) and the trend of
// the practices across rounds; labels are escaped like every formatter's.
(function () {
  "use strict";
  epmo.ready(function () {
    var data = epmo.data("diagnostics-data");
    if (!data || typeof echarts === "undefined") { return; }
    var charts = [];
    var radar = document.getElementById("radar-chart");
    if (radar && data.indicators.length) {
      var chart = echarts.init(radar);
      chart.setOption({
        tooltip: { trigger: "item", formatter: function () {
          return epmo.lines(data.values.map(function (v, i) {
            return data.indicators[i] + ": " + (v == null ? "no data" : v.toFixed(2));
          }));
        } },
        radar: { radius: "62%", indicator: data.indicators.map(function (name) { return { name: name, max: 5, min: 0 }; }),
                 axisName: { fontSize: 10 } },
        series: [{ type: "radar", areaStyle: { opacity: 0.25 },
                   data: [{ name: "Maturity", value: data.values.map(function (v) { return v == null ? 0 : v; }) }] }]
      });
      epmo.chartTable(chart);
      charts.push(chart);
    }
    var trend = document.getElementById("trend-chart");
    if (trend && data.trend.rounds.length > 1) {
      var line = echarts.init(trend);
      line.setOption({
        tooltip: { trigger: "axis", valueFormatter: function (v) { return v == null ? "no data" : epmo.escape(v.toFixed(2)); } },
        legend: { bottom: 0, type: "scroll" },
        grid: { left: 8, right: 16, top: 16, bottom: 40, containLabel: true },
        xAxis: { type: "category", data: data.trend.rounds },
        yAxis: { type: "value", min: 0, max: 5 },
        series: data.trend.series.map(function (s) { return { name: s.name, type: "line", data: s.data, connectNulls: false }; })
      });
      epmo.chartTable(line);
      charts.push(line);
    }
    window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  });
}());
