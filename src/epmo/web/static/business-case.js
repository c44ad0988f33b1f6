// The business case comparison's charts: each option's cumulative discounted net by year
// (where it crosses zero is its discounted payback) and its NPV as benefits vary. Option names
// are typed by people: they reach tooltips and legends escaped.
(function () {
  "use strict";
  function line(element, labels, series, xName, data) {
    var chart = echarts.init(element);
    chart.setOption({
      tooltip: { trigger: "axis", formatter: function (points) {
        return epmo.lines([points[0].axisValue].concat(points.map(function (p) {
          return p.seriesName + ": " + epmo.money(p.value, false, data.currency);
        })));
      } },
      legend: { bottom: 0, type: "scroll" },
      grid: { left: 8, right: 16, top: 16, bottom: 40, containLabel: true },
      xAxis: { type: "category", data: labels, name: xName },
      yAxis: { type: "value", axisLabel: { formatter: function (v) { return epmo.money(v, true, data.currency); } } },
      series: series
    });
    epmo.chartTable(chart);
    window.addEventListener("resize", function () { chart.resize(); });
  }
  epmo.ready(function () {
    var data = epmo.data("business-case-data");
    if (!data || typeof echarts === "undefined") { return; }
    var payback = document.getElementById("payback-chart");
    var sensitivity = document.getElementById("sensitivity-chart");
    var zero = { silent: true, symbol: "none", data: [{ yAxis: 0 }], label: { show: false } };
    if (payback) {
      line(payback, data.years, data.options.map(function (o, i) {
        return { name: o.name, type: "line", data: o.cumulative, markLine: i === 0 ? zero : undefined };
      }), "", data);
    }
    if (sensitivity) {
      line(sensitivity, data.steps, data.options.map(function (o, i) {
        return { name: o.name, type: "line", data: o.sensitivity, markLine: i === 0 ? zero : undefined };
      }), "benefits", data);
    }
  });
}());
