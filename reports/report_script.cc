#include "report_script.h"

namespace faultline {

std::string_view report_stylesheet() {
  return R"CSS(
body { font: 14px/1.45 system-ui, sans-serif; margin: 1.5em auto; max-width: 1100px; padding: 0 1em; color: #222; }
h1 { font-size: 1.6em; } h2 { border-bottom: 1px solid #ddd; margin-top: 1.6em; }
table { border-collapse: collapse; margin: .5em 0; } td, th { border: 1px solid #ddd; padding: 2px 8px; text-align: left; vertical-align: top; }
table.kv th { background: #f6f6f6; font-weight: normal; }
pre { background: #f6f6f6; padding: .6em; overflow-x: auto; white-space: pre-wrap; word-break: break-all; }
.verdict { padding: 1px 8px; border-radius: 4px; color: #fff; font-size: .8em; vertical-align: middle; }
.verdict.valid { background: #2e7d32; } .verdict.invalid { background: #c62828; } .verdict.unknown { background: #ef6c00; }
.warning { background: #fff3e0; border-left: 4px solid #ef6c00; padding: .4em .8em; }
.explanation { font-size: 1.1em; background: #ffebee; border-left: 4px solid #c62828; padding: .4em .8em; }
.scroll { overflow-x: auto; }
svg text { font: 11px system-ui, sans-serif; } svg .axis, svg .lane-label { fill: #555; }
svg .lane { stroke: #eee; } svg .fault { fill: #ffcdd2; opacity: .45; }
svg .op rect { fill: #cfd8dc; stroke: #78909c; } svg .op.open rect { stroke-dasharray: 4 2; fill-opacity: .5; }
svg .op.blocked rect { fill: #ef5350; stroke: #b71c1c; stroke-width: 2; }
svg .op.linearized rect { fill: #90caf9; stroke: #1565c0; }
svg .op.setter rect { fill: #a5d6a7; stroke: #1b5e20; stroke-width: 2; }
svg .op.overwriter rect { fill: #ffcc80; stroke: #e65100; stroke-width: 2; }
svg .op.nearby rect { fill: #eceff1; stroke: #b0bec5; }
svg .callout { font-size: 10px; font-weight: bold; } svg .order { fill: none; stroke: #0d47a1; stroke-width: 1.5; opacity: .7; } svg .order-dot { fill: #0d47a1; }
.legend .key { display: inline-block; margin-right: 1em; padding: 0 6px; border: 1px solid #999; border-radius: 3px; }
.key.blocked { background: #ef5350; } .key.linearized { background: #90caf9; } .key.setter { background: #a5d6a7; }
.key.overwriter { background: #ffcc80; } .key.concurrent { background: #cfd8dc; } .key.nearby { background: #eceff1; }
.key.fault { background: #ffcdd2; }
svg .t-ok { fill: #66bb6a; } svg .t-fail { fill: #e53935; } svg .t-info { fill: #ffb300; }
svg .t-open { fill-opacity: .35; stroke: #ffb300; stroke-dasharray: 3 2; }
.controls button { margin-right: .3em; } .chart { width: 100%; height: 280px; }
)CSS";
}

std::string_view report_script() {
  return R"JS(
(function () {
  'use strict';
  // When the page has loaded (scripts run, charts drawn): milliseconds since navigation began,
  // for the browser tests and the load-time benchmark (bench/report.sh).
  window.addEventListener('load', function () {
    document.documentElement.setAttribute('data-loaded-ms', performance.now().toFixed(1));
  });
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var tl = data.timeline, faults = data.faults, perPage = data.ops_rendered_per_page;
  var count = tl.start_ms.length, pages = Math.max(1, Math.ceil(count / perPage)), page = 0;
  var svgNS = 'http' + '://www.w3.org/2000/svg';  // a namespace name, never fetched
  var typeClass = ['t-ok', 't-fail', 't-info'], typeName = ['ok', 'fail', 'info'];

  function el(name, attrs, parent) {
    var e = document.createElementNS(svgNS, name);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (parent) parent.appendChild(e);
    return e;
  }

  function drawPage() {
    var view = document.getElementById('timeline-view');
    while (view.firstChild) view.removeChild(view.firstChild);
    var first = page * perPage, last = Math.min(count, first + perPage);
    document.getElementById('timeline-page').textContent =
      ' page ' + (page + 1) + ' of ' + pages + ': ops ' + first + '–' + Math.max(first, last - 1) + ' of ' + count + ' ';
    if (count === 0) return;
    var t0 = Infinity, t1 = -Infinity, i;
    for (i = first; i < last; i++) {
      t0 = Math.min(t0, tl.start_ms[i]);
      t1 = Math.max(t1, tl.end_ms[i] === null ? tl.start_ms[i] : tl.end_ms[i]);
    }
    if (t1 <= t0) t1 = t0 + 1;
    // Only the processes with ops on this page get a lane: a history whose clients are replaced
    // after each info op has thousands of processes, but a page shows a few dozen.
    var laneRow = {}, shown = [];
    for (i = first; i < last; i++) if (!(tl.lane[i] in laneRow)) { laneRow[tl.lane[i]] = 0; shown.push(tl.lane[i]); }
    shown.sort(function (a, b) { return a - b; });
    shown.forEach(function (lane, row) { laneRow[lane] = row; });
    var labelW = 80, width = 1060, laneH = 18, plotW = width - labelW - 10;
    var height = shown.length * laneH + 24;
    var x = function (t) { return labelW + (Math.min(Math.max(t, t0), t1) - t0) / (t1 - t0) * plotW; };
    var svg = el('svg', {width: width, height: height});
    faults.forEach(function (f) {
      if (f.end_ms < t0 || f.start_ms > t1) return;
      var r = el('rect', {'class': 'fault', x: x(f.start_ms), y: 0, width: Math.max(1, x(f.end_ms) - x(f.start_ms)),
                          height: height - 24}, svg);
      el('title', {}, r).textContent = f.kind + ' ' + f.value + ' (' + f.start_ms + '–' + f.end_ms + ' ms)';
    });
    shown.forEach(function (lane, row) {
      var name = tl.lanes[lane];
      el('text', {'class': 'lane-label', x: 4, y: row * laneH + 13}, svg).textContent = name === 'nemesis' ? name : 'process ' + name;
    });
    for (i = first; i < last; i++) {
      var open = tl.end_ms[i] === null, end = open ? t1 : tl.end_ms[i];
      var r = el('rect', {'class': typeClass[tl.type[i]] + (open ? ' t-open' : ''), x: x(tl.start_ms[i]), y: laneRow[tl.lane[i]] * laneH + 3,
                          width: Math.max(2, x(end) - x(tl.start_ms[i])), height: laneH - 6}, svg);
      el('title', {}, r).textContent = 'op ' + tl.index[i] + ' (process ' + tl.lanes[tl.lane[i]] + ', ' +
        tl.start_ms[i] + '–' + (open ? '?' : tl.end_ms[i]) + ' ms): ' + tl.text[i];
    }
    el('text', {'class': 'axis', x: labelW, y: height - 6}, svg).textContent = t0.toFixed(1) + ' ms';
    el('text', {'class': 'axis', x: width - 10, y: height - 6, 'text-anchor': 'end'}, svg).textContent = t1.toFixed(1) + ' ms';
    view.appendChild(svg);
  }

  function go(p) { page = Math.min(pages - 1, Math.max(0, p)); drawPage(); }
  document.getElementById('timeline-first').onclick = function () { go(0); };
  document.getElementById('timeline-prev').onclick = function () { go(page - 1); };
  document.getElementById('timeline-next').onclick = function () { go(page + 1); };
  document.getElementById('timeline-last').onclick = function () { go(pages - 1); };
  document.getElementById('timeline-goto').onchange = function () {
    var wanted = Number(this.value), lo = 0, hi = count - 1;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (tl.index[mid] < wanted) lo = mid + 1; else hi = mid; }
    go(Math.floor(lo / perPage));
  };
  drawPage();

  if (typeof Dygraph === 'undefined') return;
  function shadeFaults(canvas, area, g) {
    canvas.fillStyle = 'rgba(239, 83, 80, 0.15)';
    faults.forEach(function (f) {
      var left = g.toDomXCoord(f.start_ms / 1000), right = g.toDomXCoord(f.end_ms / 1000);
      canvas.fillRect(left, area.y, Math.max(1, right - left), area.h);
    });
  }
  var nemesisLane = tl.lanes.indexOf('nemesis'), rows = [];
  for (var i = 0; i < count; i++) {
    if (tl.lane[i] === nemesisLane || tl.end_ms[i] === null) continue;
    var row = [tl.start_ms[i] / 1000, null, null, null];
    row[1 + tl.type[i]] = Math.max(0.001, tl.end_ms[i] - tl.start_ms[i]);
    rows.push(row);
  }
  if (rows.length > 0) {
    new Dygraph(document.getElementById('latency-chart'), rows, {
      labels: ['time (s)', 'ok', 'fail', 'info'], colors: ['#43a047', '#e53935', '#ffb300'], strokeWidth: 0,
      drawPoints: true, pointSize: 1.5, logscale: true, ylabel: 'latency (ms)', xlabel: 'time (s)',
      underlayCallback: shadeFaults, legend: 'follow'});
  }
  new Dygraph(document.getElementById('throughput-chart'), data.throughput.rows, {
    labels: ['time (s)', 'ok/s', 'fail/s', 'info/s'], colors: ['#43a047', '#e53935', '#ffb300'], stepPlot: true,
    ylabel: 'ops per second', xlabel: 'time (s)', underlayCallback: shadeFaults, legend: 'follow'});
})();
)JS";
}

}  // namespace faultline
