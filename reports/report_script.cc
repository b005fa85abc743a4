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
svg .fault-label { font-size: 10px; fill: #b71c1c; } svg .tick, svg .axis-line { stroke: #999; }
svg rect.anomaly { stroke: #000; stroke-width: 2; } svg rect.anomaly.blocked { stroke: #b71c1c; stroke-width: 3; }
svg .op rect { fill: #cfd8dc; stroke: #78909c; } svg .op.open rect { stroke-dasharray: 4 2; fill-opacity: .5; }
svg .op.blocked rect { fill: #ef5350; stroke: #b71c1c; stroke-width: 2; }
svg .op.linearized rect { fill: #90caf9; stroke: #1565c0; }
svg .op.setter rect { fill: #a5d6a7; stroke: #1b5e20; stroke-width: 2; }
svg .op.overwriter rect { fill: #ffcc80; stroke: #e65100; stroke-width: 2; }
svg .op.nearby rect { fill: #eceff1; stroke: #b0bec5; }
svg.cycle .txn rect { fill: #eceff1; stroke: #455a64; } svg.cycle .txn.info rect { stroke-dasharray: 4 2; } svg.cycle .txn-label { font-weight: bold; }
svg.cycle .edge path { fill: none; stroke-width: 2; } svg.cycle marker path { fill: #444; }
svg.cycle .edge.ww path { stroke: #1565c0; } svg.cycle .edge.wr path { stroke: #2e7d32; } svg.cycle .edge.rw path { stroke: #c62828; }
svg.cycle .edge.ordering path { stroke: #757575; stroke-dasharray: 5 3; }
svg.cycle .edge text { font-weight: bold; paint-order: stroke; stroke: #fff; stroke-width: 3px; }
svg rect.anomaly.cycle { stroke: #6a1b9a; stroke-width: 3; }
.cycle-steps li { margin: .2em 0; }
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
  var tl = data.timeline, faults = data.faults, perPageMax = data.ops_rendered_per_page, perPage = perPageMax;
  var perPageMin = 25;
  var count = tl.start_ms.length, page = 0, keyFilter = -1;
  var nemesisLane = tl.lanes.indexOf('nemesis');
  var svgNS = 'http' + '://www.w3.org/2000/svg';  // a namespace name, never fetched
  var typeClass = ['t-ok', 't-fail', 't-info'], typeName = ['ok', 'fail', 'info'];
  // The anomaly's ops, by invoke index: outlined in the timeline.
  var anomalyRole = (data.anomaly && data.anomaly.roles) || {};
  var shown = [];  // positions of the ops in view: all, or one key's (and the nemesis')

  function el(name, attrs, parent) {
    var e = document.createElementNS(svgNS, name);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (parent) parent.appendChild(e);
    return e;
  }

  function filter() {
    shown = [];
    for (var i = 0; i < count; i++)
      if (keyFilter < 0 || tl.key[i] === keyFilter || tl.lane[i] === nemesisLane) shown.push(i);
  }
  function pages() { return Math.max(1, Math.ceil(shown.length / perPage)); }

  // A round step (1, 2 or 5 times a power of ten) for at most `most` ticks over `span`.
  function tickStep(span, most) {
    var raw = span / most, power = Math.pow(10, Math.floor(Math.log10(raw)));
    var steps = [1, 2, 5, 10];
    for (var s = 0; s < steps.length; s++) if (steps[s] * power >= raw) return steps[s] * power;
    return 10 * power;
  }

  function laneName(lane) {
    var name = tl.lanes[lane];
    if (name === 'nemesis') return name;
    return 'process ' + name + (tl.lane_nodes && tl.lane_nodes[lane] ? ' \u00b7 ' + tl.lane_nodes[lane] : '');
  }

  function drawPage() {
    var view = document.getElementById('timeline-view');
    while (view.firstChild) view.removeChild(view.firstChild);
    var first = page * perPage, last = Math.min(shown.length, first + perPage);
    document.getElementById('timeline-page').textContent =
      ' page ' + (page + 1) + ' of ' + pages() + ': ' + (last - first) + ' of ' + shown.length + ' ops' +
      (keyFilter < 0 ? '' : ' of key ' + tl.keys[keyFilter]) + ', ' + perPage + ' a page ';
    if (shown.length === 0) return;
    var t0 = Infinity, t1 = -Infinity, i, j;
    for (j = first; j < last; j++) {
      i = shown[j];
      t0 = Math.min(t0, tl.start_ms[i]);
      t1 = Math.max(t1, tl.end_ms[i] === null ? tl.start_ms[i] : tl.end_ms[i]);
    }
    if (t1 <= t0) t1 = t0 + 1;
    // Only the processes with ops on this page get a lane: a history whose clients are replaced
    // after each info op has thousands of processes, but a page shows a few dozen.
    var laneRow = {}, lanes = [];
    for (j = first; j < last; j++) { i = shown[j]; if (!(tl.lane[i] in laneRow)) { laneRow[tl.lane[i]] = 0; lanes.push(tl.lane[i]); } }
    lanes.sort(function (a, b) { return a - b; });
    lanes.forEach(function (lane, row) { laneRow[lane] = row; });
    var labelW = 120, width = 1060, laneH = 18, plotW = width - labelW - 10, top = 28, axisH = 28;
    var height = top + lanes.length * laneH + axisH;
    var x = function (t) { return labelW + (Math.min(Math.max(t, t0), t1) - t0) / (t1 - t0) * plotW; };
    var svg = el('svg', {width: width, height: height, id: 'timeline-svg'});
    var drawn = 0;  // labels of neighbouring windows alternate between two rows
    faults.forEach(function (f) {
      if (f.end_ms < t0 || f.start_ms > t1) return;
      var g = el('g', {'class': 'fault-window'}, svg);
      var r = el('rect', {'class': 'fault', x: x(f.start_ms), y: 0, width: Math.max(1, x(f.end_ms) - x(f.start_ms)),
                          height: height - axisH}, g);
      el('title', {}, r).textContent = f.label + ' (' + (f.start_ms / 1000).toFixed(3) + ' s to ' + (f.end_ms / 1000).toFixed(3) + ' s)';
      el('text', {'class': 'fault-label', x: x(f.start_ms) + 2, y: 11 + 12 * (drawn++ % 2)}, g).textContent = f.label;
    });
    lanes.forEach(function (lane, row) {
      el('text', {'class': 'lane-label', x: 4, y: top + row * laneH + 13}, svg).textContent = laneName(lane);
    });
    for (j = first; j < last; j++) {
      i = shown[j];
      var open = tl.end_ms[i] === null, end = open ? t1 : tl.end_ms[i];
      var role = anomalyRole[tl.index[i]];
      var r = el('rect', {'class': typeClass[tl.type[i]] + (open ? ' t-open' : '') + (role ? ' anomaly ' + role : ''),
                          x: x(tl.start_ms[i]), y: top + laneRow[tl.lane[i]] * laneH + 3,
                          width: Math.max(2, x(end) - x(tl.start_ms[i])), height: laneH - 6, 'data-index': tl.index[i]}, svg);
      el('title', {}, r).textContent = 'op ' + tl.index[i] + ' (' + laneName(tl.lane[i]) + ', ' +
        (tl.start_ms[i] / 1000).toFixed(3) + ' s to ' + (open ? '?' : (tl.end_ms[i] / 1000).toFixed(3) + ' s') + '): ' +
        tl.text[i] + (role ? ' [anomaly: ' + role + ']' : '');
    }
    // The time axis: seconds since the run began, at round steps.
    var axisY = height - axisH, step = tickStep((t1 - t0) / 1000, 8);
    var decimals = Math.max(0, Math.min(6, Math.ceil(-Math.log10(step) - 1e-9)));
    el('line', {'class': 'axis-line', x1: labelW, y1: axisY, x2: labelW + plotW, y2: axisY}, svg);
    for (var t = Math.ceil(t0 / 1000 / step) * step; t * 1000 <= t1; t += step) {
      el('line', {'class': 'tick', x1: x(t * 1000), y1: axisY, x2: x(t * 1000), y2: axisY + 4}, svg);
      el('text', {'class': 'axis tick-label', x: x(t * 1000), y: axisY + 16, 'text-anchor': 'middle'}, svg).textContent =
        t.toFixed(decimals) + ' s';
    }
    view.appendChild(svg);
  }

  function go(p) { page = Math.min(pages() - 1, Math.max(0, p)); drawPage(); }
  // The page that holds the op invoked at `index` (or the next one after it).
  function pageOf(index) {
    var lo = 0, hi = shown.length - 1;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (tl.index[shown[mid]] < index) lo = mid + 1; else hi = mid; }
    return Math.floor(lo / perPage);
  }
  // Zooming keeps in view the op the reader went to (the anomaly's, or one by index) when it
  // is on this page, otherwise the page's middle op.
  var focusIndex = null;
  function zoom(factor) {
    var first = page * perPage, last = Math.min(shown.length, first + perPage) - 1, keep = focusIndex;
    if (shown.length === 0) return;
    if (keep === null || keep < tl.index[shown[first]] || keep > tl.index[shown[last]]) keep = tl.index[shown[(first + last) >> 1]];
    perPage = Math.min(perPageMax, Math.max(perPageMin, Math.round(perPage * factor)));
    go(pageOf(keep));
  }
  function setKey(k) {
    keyFilter = k;
    document.getElementById('timeline-key').value = String(k);
    filter();
  }
  var keySelect = document.getElementById('timeline-key');
  tl.keys.forEach(function (k, n) {
    var option = document.createElement('option');
    option.value = String(n);
    option.textContent = k;
    keySelect.appendChild(option);
  });
  keySelect.disabled = tl.keys.length === 0;
  keySelect.onchange = function () { setKey(Number(this.value)); go(0); };
  document.getElementById('timeline-first').onclick = function () { go(0); };
  document.getElementById('timeline-prev').onclick = function () { go(page - 1); };
  document.getElementById('timeline-next').onclick = function () { go(page + 1); };
  document.getElementById('timeline-last').onclick = function () { go(pages() - 1); };
  document.getElementById('timeline-zoom-in').onclick = function () { zoom(0.5); };
  document.getElementById('timeline-zoom-out').onclick = function () { zoom(2); };
  document.getElementById('timeline-goto').onchange = function () { focusIndex = Number(this.value); go(pageOf(focusIndex)); };
  // A transactional cycle's link: its transactions outlined, all keys, the first one in view.
  Array.prototype.forEach.call(document.querySelectorAll('.show-cycle'), function (link) {
    link.onclick = function () {
      var indices = JSON.parse(this.getAttribute('data-indices'));
      anomalyRole = {};
      indices.forEach(function (index) { anomalyRole[index] = 'cycle'; });
      setKey(-1);
      perPage = Math.max(perPageMin, 100);
      focusIndex = Math.min.apply(null, indices);
      go(pageOf(focusIndex));
    };
  });
  var showAnomaly = document.getElementById('show-anomaly');
  if (showAnomaly) showAnomaly.onclick = function () {
    setKey(tl.keys.indexOf(this.getAttribute('data-key')));
    perPage = Math.max(perPageMin, 100);
    focusIndex = Number(this.getAttribute('data-index'));
    go(pageOf(focusIndex));
  };
  filter();
  drawPage();

  if (typeof Dygraph === 'undefined') return;
  function shadeFaults(canvas, area, g) {
    canvas.fillStyle = 'rgba(239, 83, 80, 0.15)';
    faults.forEach(function (f) {
      var left = g.toDomXCoord(f.start_ms / 1000), right = g.toDomXCoord(f.end_ms / 1000);
      canvas.fillRect(left, area.y, Math.max(1, right - left), area.h);
    });
  }
  var rows = [];
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
