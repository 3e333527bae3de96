// Draws the report pages' charts with Chart.js (/static/vendor/chart.umd.js). Each chart is a
// <canvas data-chart="…"> whose JSON the server wrote: labels, datasets (a hidden cell is null, so
// it is not drawn as a number), and how to draw them. The table beside each chart says the same in
// words: it is the chart's text alternative, and what is left when this file does not run.
(function () {
  "use strict";
  // colours that keep a 3:1 contrast against white and apart from each other
  var PALETTE = ["#12416b", "#c8562a", "#2a7f62", "#8a4fa3", "#b58a00", "#5a6b7b", "#b03a5b"];

  function number(value, lang, percent) {
    if (value === null || value === undefined) return "";
    var text = Number(value).toLocaleString(lang === "el" ? "el-GR" : "en-GB", {
      maximumFractionDigits: 2,
    });
    return percent ? text + " %" : text;
  }

  function lines(text, width) {
    var room = Math.max(12, Math.floor(width / 22));
    var found = [""];
    text.split(" ").forEach(function (word) {
      var last = found.length - 1;
      if (found[last] && (found[last] + " " + word).length > room) found.push(word);
      else found[last] = found[last] ? found[last] + " " + word : word;
    });
    var most = width < 500 ? 2 : 3; // a phone: fewer lines, so the bars keep their room
    // names that share their start ("Διευρυμένο Κέντρο Κοινότητας …") differ at the end: keep it
    if (found.length > most) found = ["…" + found[found.length - most]].concat(found.slice(1 - most));
    return found.map(function (line) {
      return line.length > room ? line.slice(0, room - 1) + "…" : line;
    });
  }

  function config(spec, lang) {
    var horizontal = !!spec.horizontal;
    var valueAxis = horizontal ? "x" : "y";
    var categoryAxis = horizontal ? "y" : "x";
    var scales = {};
    scales[valueAxis] = {
      beginAtZero: true,
      stacked: !!spec.stacked,
      ticks: {
        precision: spec.integers ? 0 : undefined,
        callback: function (value) {
          return number(value, lang, spec.percent);
        },
      },
    };
    if (spec.max) scales[valueAxis].suggestedMax = spec.max;
    scales[categoryAxis] = {
      stacked: !!spec.stacked,
      ticks: {
        autoSkip: !horizontal,
        // a long name on a narrow screen goes on up to three lines, its start cut short after
        // that; the table beside gives it whole
        callback: function (value) {
          return horizontal ? lines(this.getLabelForValue(value), this.chart.width) : this.getLabelForValue(value);
        },
      },
    };
    return {
      type: spec.type || "bar",
      data: {
        labels: spec.labels,
        datasets: spec.datasets.map(function (d, i) {
          var colour = PALETTE[i % PALETTE.length];
          return {
            label: d.label,
            data: d.data,
            backgroundColor: colour,
            borderColor: colour,
            spanGaps: false,
            tension: 0.2,
          };
        }),
      },
      options: {
        indexAxis: horizontal ? "y" : "x",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        locale: lang === "el" ? "el-GR" : "en-GB",
        scales: scales,
        plugins: {
          legend: { display: spec.datasets.length > 1, position: "bottom" },
          tooltip: {
            callbacks: {
              label: function (item) {
                return item.dataset.label + ": " + number(item.raw, lang, spec.percent);
              },
            },
          },
        },
      },
    };
  }

  function draw() {
    if (typeof window.Chart === "undefined") return; // the tables say it all without charts
    var lang = document.documentElement.lang || "el";
    var canvases = document.querySelectorAll("canvas[data-chart]");
    for (var i = 0; i < canvases.length; i++) {
      var spec = JSON.parse(canvases[i].getAttribute("data-chart"));
      new window.Chart(canvases[i], config(spec, lang));
      canvases[i].setAttribute("data-drawn", "true");
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
