// Draws the overview charts from the JSON the page embeds (#overview-data) with ECharts.
(function () {
  "use strict";

  var COLOURS = { green: "#2fb344", amber: "#f59f00", red: "#d63939", unknown: "#adb5bd" };
  var MONEY = [["planned", "Planned", "#206bc4"], ["actual", "Actual", "#4299e1"],
               ["forecast", "Forecast", "#ae3ec9"]];

  function compact(value) { return epmo.money(value, true); }

  function empty(text) {
    return { title: { text: text, left: "center", top: "middle",
                      textStyle: { color: "#adb5bd", fontSize: 14, fontWeight: "normal" } } };
  }

  function healthOption(rows) {
    var data = rows.filter(function (r) { return r.value > 0; }).map(function (r) {
      return { name: r.name, value: r.value, itemStyle: { color: COLOURS[r.name] } };
    });
    if (!data.length) { return empty("No projects"); }
    return {
      tooltip: { trigger: "item", formatter: function (p) {
        return epmo.escape(p.name + ": " + p.value + " (" + p.percent + "%)");
      } },
      legend: { bottom: 0 },
      series: [{ type: "pie", radius: ["45%", "70%"], data: data,
                 label: { formatter: "{b}: {c}" } }]
    };
  }

  function budgetOption(bars) {
    if (!bars.labels.length) { return empty("No budgets"); }
    return {
      tooltip: { trigger: "axis", valueFormatter: function (v) { return epmo.escape(epmo.money(v)); } },
      legend: { bottom: 0 },
      grid: { left: 8, right: 8, top: 16, bottom: 40, containLabel: true },
      xAxis: { type: "category", data: bars.labels, axisLabel: { interval: 0, rotate: 30 } },
      yAxis: { type: "value", axisLabel: { formatter: compact } },
      series: MONEY.map(function (m) {
        return { name: m[1], type: "bar", itemStyle: { color: m[2] },
                 data: bars[m[0]].map(Number) };
      })
    };
  }

  function stageOption(stage) {
    return {
      tooltip: { trigger: "axis" },
      legend: { bottom: 0 },
      grid: { left: 8, right: 8, top: 16, bottom: 40, containLabel: true },
      xAxis: { type: "category", data: stage.labels, axisLabel: { interval: 0, rotate: 30 } },
      yAxis: { type: "value", minInterval: 1 },
      series: Object.keys(COLOURS).map(function (rating) {
        return { name: rating, type: "bar", stack: "health", itemStyle: { color: COLOURS[rating] },
                 data: stage.series[rating] };
      })
    };
  }

  function draw(id, option, links) {
    var element = document.getElementById(id);
    if (!element) { return null; }
    var chart = echarts.init(element);
    chart.setOption(option);
    epmo.chartTable(chart);
    if (links) {
      chart.on("click", function (params) {
        var target = links[params.dataIndex];
        if (target) { window.location.href = target; }
      });
    }
    return chart;
  }

  function start() {
    var source = document.getElementById("overview-data");
    if (!source || typeof echarts === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    var charts = [
      draw("chart-health", healthOption(data.health)),
      draw("chart-department", budgetOption(data.department), data.department.links),
      draw("chart-stage", stageOption(data.stage)),
      draw("chart-goal", budgetOption(data.goal), data.goal.links)
    ].filter(Boolean);
    window.addEventListener("resize", function () {
      charts.forEach(function (chart) { chart.resize(); });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
