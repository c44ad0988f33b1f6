// Survey charts: importance against satisfaction per service (the quadrant), and the trend
// across closed rounds. Service names and round titles reach tooltips escaped.
(function () {
  "use strict";
  function quadrant() {
    var data = epmo.data("survey-quadrant");
    var element = document.getElementById("quadrant-chart");
    if (!data || !element || typeof echarts === "undefined") { return; }
    var chart = echarts.init(element);
    chart.setOption({
      tooltip: { formatter: function (p) {
        var v = p.value;
        return epmo.lines([v[2], "satisfaction " + v[0].toFixed(2) + ", importance " + v[1].toFixed(2), v[3]]);
      } },
      grid: { left: 16, right: 16, top: 16, bottom: 32, containLabel: true },
      xAxis: { type: "value", name: "satisfaction", nameLocation: "middle", nameGap: 24, min: 1, max: 5 },
      yAxis: { type: "value", name: "importance", nameLocation: "middle", nameGap: 28, min: 1, max: 5 },
      series: [{ type: "scatter", symbolSize: 14,
        data: data.questions.map(function (q) { return [q.satisfaction, q.importance, q.service, q.quadrant]; }),
        itemStyle: { color: function (p) { return p.value[3] === "fix first" ? "#d63939" : "#206bc4"; } },
        markLine: { silent: true, symbol: "none", lineStyle: { type: "dashed" },
          data: [{ xAxis: data.mid[0] }, { yAxis: data.mid[1] }], label: { show: false } } }]
    });
    epmo.chartTable(chart, { columns: ["satisfaction", "importance", "service", "quadrant"], key: "service" });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  function trend() {
    var titles = epmo.data("survey-trend");
    var values = epmo.data("survey-trend-values");
    var element = document.getElementById("trend-chart");
    if (!titles || !values || !element || typeof echarts === "undefined") { return; }
    var chart = echarts.init(element);
    chart.setOption({
      tooltip: { trigger: "axis", formatter: function (ps) {
        return epmo.lines([ps[0].name].concat(ps.map(function (p) { return p.seriesName + " " + p.value.toFixed(2); })));
      } },
      legend: { bottom: 0 },
      grid: { left: 8, right: 24, top: 24, bottom: 40, containLabel: true },
      xAxis: { type: "category", data: titles },
      yAxis: { type: "value", min: 1, max: 5 },
      series: [{ name: "satisfaction", type: "line", data: values.satisfaction },
               { name: "importance", type: "line", data: values.importance }]
    });
    epmo.chartTable(chart);
    window.addEventListener("resize", function () { chart.resize(); });
  }
  epmo.ready(function () { quadrant(); trend(); });
}());
