// The roll-up page's RAG heatmap of one department or portfolio: projects down, status
// dimensions across; project codes and names reach the tooltip escaped.
(function () {
  "use strict";
  var NAMES = { "-1": "no colour", "0": "green", "1": "amber", "2": "red" };
  epmo.ready(function () {
    var data = epmo.data("heatmap-data");
    var element = document.getElementById("rag-heatmap");
    if (!data || !element || typeof echarts === "undefined") { return; }
    var chart = echarts.init(element);
    chart.setOption({
      tooltip: { formatter: function (p) {
        return epmo.escape(data.y[p.value[1]] + " · " + data.x[p.value[0]] + ": " + NAMES[p.value[2]]);
      } },
      grid: { left: 8, right: 8, top: 8, bottom: 48, containLabel: true },
      xAxis: { type: "category", data: data.x, position: "top", splitArea: { show: true } },
      yAxis: { type: "category", data: data.y, inverse: true, splitArea: { show: true } },
      visualMap: { type: "piecewise", orient: "horizontal", left: "center", bottom: 0,
                   pieces: [{ value: -1, label: "no colour", color: "#adb5bd" }, { value: 0, label: "green", color: "#2fb344" },
                            { value: 1, label: "amber", color: "#f59f00" }, { value: 2, label: "red", color: "#d63939" }] },
      series: [{ type: "heatmap", data: data.cells, itemStyle: { borderColor: "#fff", borderWidth: 1 } }]
    });
    epmo.chartTable(chart, { format: function (v) { return NAMES[v]; } });
    window.addEventListener("resize", function () { chart.resize(); });
  });
}());
