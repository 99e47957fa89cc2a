// Charts of listener behaviour: the hour × weekday heatmap (an HTML table coloured through the DOM,
// since the page's security policy allows no inline style), and with uPlot the lift around
// airings, retention after the broadcast and countries' shares per month.
import { axes, day, make, PALETTE } from './charts.js';
import { escape, percent } from './format.js';

// Index to colour: blue below 1, white at 1, red above, on a log scale clipped at ¼× and 4×.
const INDEX_LIMIT = 2;
function indexColour(value) {
  if (value == null || !Number.isFinite(value) || value <= 0) return '#f2f4f7';
  const position = Math.max(-1, Math.min(1, Math.log2(value) / INDEX_LIMIT));
  const [red, green, blue] = position >= 0 ? [194, 24, 91] : [26, 95, 180];
  const mix = (channel) => Math.round(255 + (channel - 255) * Math.abs(position));
  return `rgb(${mix(red)}, ${mix(green)}, ${mix(blue)})`;
}

// The heatmap's table: one row per weekday, one cell per local hour. For all music the index
// (its share ÷ its own share) is 1 everywhere, so the cells show the share against an even spread.
export function heatmap(element, view) {
  const evenSpread = view.scope.kind === 'all';
  const value = (cell) => (evenSpread ? (view.heatmap.plays > 0 ? cell.share * 168 : null) : cell.index);
  const hours = Array.from({ length: 24 }, (_, hour) => `<th class="hour">${hour % 3 === 0 ? hour : ''}</th>`).join('');
  const rows = view.heatmap.cells.map((cells, weekday) => `<tr><th>${escape(view.heatmap.weekdays[weekday])}</th>${cells.map((cell, hour) => {
    const shown = value(cell);
    const title = `${view.heatmap.weekdays[weekday]} ${String(hour).padStart(2, '0')}:00 · ${cell.plays} plays · ${percent(cell.share)} of these plays vs ${percent(cell.baseline_share)} of all plays${shown == null ? '' : ` · ${shown.toFixed(2)}×`}`;
    return `<td class="cell" title="${escape(title)}"></td>`;
  }).join('')}</tr>`).join('');
  const legend = evenSpread
    ? 'Colour: the hour\'s share of all plays against an even spread over the week (1× = 1/168).'
    : `Colour: index = this ${escape(view.scope.kind)}'s share of its plays in that hour ÷ all music's share then; above 1×, it is played more than usual at that hour.`;
  element.innerHTML = `<table class="heatmap" id="listener-heatmap"><thead><tr><th></th>${hours}</tr></thead><tbody>${rows}</tbody></table>
    <div class="heat-legend"><span>¼×</span><span class="heat-scale"></span><span>4×</span>
    <span class="muted">(white: 1×, grey: no plays) ${legend}</span></div>`;
  const cells = element.querySelectorAll('td.cell');
  view.heatmap.cells.flat().forEach((cell, index) => { cells[index].style.backgroundColor = indexColour(value(cell)); });
}

// A vertical line at x = 0 (the airing's start).
function zeroLine(plot) {
  const context = plot.ctx;
  const { top, height } = plot.bbox;
  const x = plot.valToPos(0, 'x', true);
  context.save();
  context.strokeStyle = '#3f51b5';
  context.lineWidth = 1.5 * (devicePixelRatio || 1);
  context.beginPath();
  context.moveTo(x, top);
  context.lineTo(x, top + height);
  context.stroke();
  context.restore();
}

// Lift per hour offset around the airings, its 95 % interval as a band, and a dashed line at 1.
export function airingChart(element, airings) {
  const points = airings.points;
  const data = [
    points.map((point) => point.offset_hours),
    points.map((point) => point.lift),
    points.map((point) => point.high),
    points.map((point) => point.low),
    points.map(() => 1),
  ];
  const [xAxis, yAxis] = axes('lift (× baseline)');
  return make(element, {
    scales: { x: { time: false }, y: { range: (plot, min, max) => [0, Math.max(2, Math.ceil(max ?? 2))] } },
    axes: [{ ...xAxis, label: 'hours from the airing\'s start', values: (plot, ticks) => ticks.map((tick) => (tick > 0 ? `+${tick}` : `${tick}`)) }, yAxis],
    series: [
      { label: 'hour' },
      { label: 'lift', stroke: '#c2185b', width: 2, spanGaps: false },
      { label: '95 % high', stroke: 'rgba(194,24,91,0.25)', width: 1, spanGaps: false },
      { label: '95 % low', stroke: 'rgba(194,24,91,0.25)', width: 1, spanGaps: false },
      { label: 'no change (1×)', stroke: '#687083', width: 1, dash: [5, 4], points: { show: false } },
    ],
    bands: [{ series: [2, 3], fill: 'rgba(194,24,91,0.12)' }],
    hooks: { draw: [zeroLine] },
  }, data);
}

// Per phase of first play, the share of its listeners playing in each week after the broadcast.
// Trailing weeks in which no cohort plays at all are left out: the log most likely ends there.
export function retentionChart(element, cohorts) {
  const active = (week) => cohorts.retention.some((curve) => curve.shares[week] > 0);
  let shown = cohorts.weeks;
  while (shown > 1 && !active(shown - 1)) shown -= 1;
  const weeks = Array.from({ length: shown }, (_, week) => week);
  const [xAxis, yAxis] = axes('listeners playing (%)');
  return make(element, {
    scales: { x: { time: false }, y: { range: [0, 100] } },
    axes: [{ ...xAxis, label: 'weeks after the broadcast', incrs: [1, 2, 4, 8] }, yAxis],
    series: [
      { label: 'week' },
      ...cohorts.retention.map((curve, index) => ({
        label: `first played ${curve.label} (${curve.listeners})`,
        stroke: PALETTE[index % PALETTE.length],
        width: 2,
        points: { show: true, size: 4 },
      })),
    ],
  }, [weeks, ...cohorts.retention.map((curve) => curve.shares.slice(0, shown).map((share) => share * 100))]);
}

// Each top country's share of the month's plays.
export function countryChart(element, countries, top) {
  const months = countries.months;
  const [xAxis, yAxis] = axes('share of the month\'s plays (%)');
  return make(element, {
    scales: { x: { time: true }, y: { range: [0, 100] } },
    axes: [xAxis, yAxis],
    series: [
      {},
      ...top.map((country, index) => ({
        label: country.country || 'unknown',
        stroke: PALETTE[index % PALETTE.length],
        width: 2,
        points: { show: months.length < 40, size: 5 },
      })),
    ],
  }, [
    months.map((month) => day(`${month.month}-01`)),
    ...top.map((country) => months.map((month) => (month.plays > 0 ? ((month.by_country[country.country] ?? 0) / month.plays) * 100 : null))),
  ]);
}
