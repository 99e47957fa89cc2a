// Charts of the dashboard, drawn with uPlot (vendored under /assets/): a song's attention against
// its drama's, a song's chart positions, and a drama's ratings, each with the timeline's markers.
// The listener charts (listener_charts.js) share its palette, axes and sizing.
/* global uPlot */

const FONT = '12px "Noto Sans CJK KR", "Noto Sans KR", "Malgun Gothic", system-ui, sans-serif';
export const PALETTE = ['#c2185b', '#00897b', '#f57c00', '#6d4c41', '#5e35b1', '#0288d1', '#7cb342', '#e53935'];

export const day = (text) => Date.UTC(+text.slice(0, 4), +text.slice(5, 7) - 1, +text.slice(8, 10)) / 1000;

export function axes(yLabel) {
  const axis = { font: FONT, labelFont: FONT, stroke: '#687083', grid: { stroke: '#eef0f4' } };
  return [axis, { ...axis, label: yLabel, size: 50 }];
}

// Draws vertical markers: {date, label, color, dash, width}. A label goes in the first of four rows
// where it overlaps no other label; with none free, only the line is drawn (the tables name it).
function markerHook(markers) {
  return (plot) => {
    const context = plot.ctx;
    const { left, top, width, height } = plot.bbox;
    const pixelRatio = devicePixelRatio || 1;
    const rowEnds = [-Infinity, -Infinity, -Infinity, -Infinity];
    context.save();
    context.font = `${11 * pixelRatio}px system-ui, sans-serif`;
    for (const marker of markers) {
      const x = plot.valToPos(day(marker.date), 'x', true);
      if (x < left || x > left + width) continue;
      context.strokeStyle = marker.color;
      context.lineWidth = (marker.width || 1) * pixelRatio;
      context.setLineDash(marker.dash ? [4 * pixelRatio, 3 * pixelRatio] : []);
      context.beginPath();
      context.moveTo(x, top);
      context.lineTo(x, top + height);
      context.stroke();
      if (!marker.label) continue;
      const textX = x + 3 * pixelRatio;
      const textWidth = context.measureText(marker.label).width;
      const row = rowEnds.findIndex((end) => end + 4 * pixelRatio < textX);
      if (row < 0) continue;
      rowEnds[row] = textX + textWidth;
      context.fillStyle = marker.color;
      context.fillText(marker.label, textX, top + (12 + 13 * row) * pixelRatio);
    }
    context.restore();
  };
}

// Draws peaks as dots with their numbers (P1, P2…) at [date, value].
function peakHook(peaks) {
  return (plot) => {
    const context = plot.ctx;
    const pixelRatio = devicePixelRatio || 1;
    context.save();
    context.font = `bold ${11 * pixelRatio}px system-ui, sans-serif`;
    peaks.forEach((peak) => {
      const x = plot.valToPos(day(peak.date), 'x', true);
      const y = plot.valToPos(peak.value, peak.scale || 'y', true);
      if (!Number.isFinite(x) || !Number.isFinite(y)) return;
      context.fillStyle = '#b00020';
      context.beginPath();
      context.arc(x, y, 4 * pixelRatio, 0, 2 * Math.PI);
      context.fill();
      context.fillText(peak.label, x + 5 * pixelRatio, y - 5 * pixelRatio);
    });
    context.restore();
  };
}

// Breaks a series of [date, value] pairs where it is off the chart for more than `maxGapDays`,
// so that no line is drawn across years without data.
function withGaps(series, maxGapDays) {
  const result = [];
  for (let index = 0; index < series.length; index += 1) {
    if (index > 0 && day(series[index][0]) - day(series[index - 1][0]) > maxGapDays * 86400) {
      const after = new Date((day(series[index - 1][0]) + 86400) * 1000).toISOString().slice(0, 10);
      result.push([after, null]);
    }
    result.push(series[index]);
  }
  return result;
}

// One x array for several series of [date, value] pairs; missing days are null (gaps).
function align(seriesList, extraDays = []) {
  const days = new Set(extraDays.map(day));
  for (const series of seriesList) for (const [date] of series) days.add(day(date));
  const xs = [...days].sort((left, right) => left - right);
  const position = new Map(xs.map((x, index) => [x, index]));
  const columns = seriesList.map((series) => {
    const column = new Array(xs.length).fill(null);
    for (const [date, value] of series) column[position.get(day(date))] = value;
    return column;
  });
  return [xs, ...columns];
}

export function make(element, options, data) {
  const width = Math.max(320, element.clientWidth - 16);
  const plot = new uPlot({ width, height: 320, tzDate: (ts) => uPlot.tzDate(new Date(ts * 1e3), 'Etc/UTC'), ...options }, data, element);
  return plot;
}

// The drama line's legend names what its index is measured from.
const DRAMA_BASIS_LABELS = {
  ratings: 'drama attention (TV ratings)',
  netflix_hours_viewed: 'drama attention (Netflix hours viewed)',
  assumed_on_air: 'drama attention (assumed 100 on air)',
};

function dramaLabel(basis) {
  return DRAMA_BASIS_LABELS[basis] || 'drama attention';
}

export function attentionChart(element, song, markers, peakDots) {
  const data = align([
    withGaps(song.song_attention.map((point) => [point.date, point.value]), 2),
    withGaps(song.drama_attention.map((point) => [point.date, point.value]), 2),
  ]);
  return make(element, {
    scales: { x: { time: true }, y: { range: [0, 105] } },
    axes: axes('attention (0-100)'),
    series: [
      {},
      { label: 'song attention', stroke: '#c2185b', width: 1.5, spanGaps: false },
      { label: dramaLabel(song.drama_attention_basis), stroke: '#3f51b5', width: 1.5, fill: 'rgba(63,81,181,0.08)', spanGaps: false },
    ],
    hooks: { draw: [markerHook(markers), peakHook(peakDots)] },
  }, data);
}

// Days between two issues of a chart that still draw as one line: a year-end chart's issues are a
// year apart, a monthly chart's a month (dataset names end in their period).
function largestGap(chart) {
  if (chart.endsWith('_year_end')) return 400;
  if (chart.endsWith('_monthly')) return 40;
  return 15;
}

// The series `encore collect` gathered for a song (pageviews, daily views, daily plays), each on
// its own axis scale: one line per series, with the timeline's markers.
const COLLECTED_LABELS = { wikipedia_pageviews: 'Wikipedia pageviews', youtube_views: 'YouTube views a day', lastfm_playcount: 'Last.fm plays a day' };

export function collectedChart(element, series, markers) {
  const dates = [...new Set(series.flatMap((one) => one.points.map((point) => point.date)))].sort();
  const xs = dates.map(day);
  const columns = series.map((one) => {
    const byDate = new Map(one.points.map((point) => [point.date, point.value]));
    return dates.map((date) => byDate.get(date) ?? null);
  });
  const [xAxis, yAxis] = axes('per day');
  return make(element, {
    axes: [xAxis, yAxis],
    series: [{}, ...series.map((one, index) => ({
      label: `${COLLECTED_LABELS[one.source] ?? one.source}: ${one.subject}`,
      stroke: PALETTE[index % PALETTE.length],
      width: 1.5,
      spanGaps: true,
    }))],
    hooks: { draw: [markerHook(markers)] },
  }, [xs, ...columns]);
}

export function rankChart(element, song, markers, peakDots) {
  const series = song.series;
  // The drama's airing and the song's release stay in view, as on the attention timeline.
  const drama = song.drama_detail;
  const extraDays = [song.release_date, drama?.premiere, drama?.finale].filter(Boolean);
  const data = align(series.map((group) => withGaps(group.points.map(([date, rank]) => [date, rank]), largestGap(group.chart))), extraDays);
  const largest = Math.max(...series.map((group) => group.chart_size), 10);
  return make(element, {
    scales: { x: { time: true }, y: { range: [0.5, largest + 1], dir: -1 } },
    axes: axes('chart position'),
    series: [
      {},
      ...series.map((group, index) => ({
        label: `${group.chart_name} ${group.region.toUpperCase()}`,
        stroke: PALETTE[index % PALETTE.length],
        width: 1.5,
        points: { show: group.points.length < 80 },
        spanGaps: false,
      })),
    ],
    hooks: { draw: [markerHook(markers), peakHook(peakDots)] },
  }, data);
}

export function ratingsChart(element, episodes, markers) {
  const rated = episodes.filter((episode) => episode.air_date && (episode.rating_nationwide ?? episode.rating_tnms ?? episode.rating_seoul) != null);
  const data = align([rated.map((episode) => [episode.air_date, episode.rating_nationwide ?? episode.rating_tnms ?? episode.rating_seoul])]);
  return make(element, {
    scales: { x: { time: true } },
    axes: axes('rating (%)'),
    series: [{}, { label: 'episode rating', stroke: '#3f51b5', width: 2, points: { show: true, size: 6 } }],
    hooks: { draw: [markerHook(markers)] },
  }, data);
}
