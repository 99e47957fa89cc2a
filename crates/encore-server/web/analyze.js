// The analyse page: paste or pick a series (CSV, TSV, a Google Trends export or JSON; a date column
// and one value column, a unit column, or one column per unit) and see its changepoints and peaks,
// the effect of an intervention against the other units or its own past, or its decay, from
// POST /api/analyze/{detect,effect,decay}: the analyses and the plots of `encore detect|effect|decay`.
// The results' `data-state` goes from `loading` to `ready` (or `error`), which the browser test waits for.
import { escape, number, table } from './format.js';

const HELP = {
  detect: 'Changepoints of each unit (the cost and the penalty chosen by an information criterion), and the peaks they delimit.',
  effect: 'The lift of an intervention on the treated unit, against a synthetic control of the other units (or its own pre-period), with a 95 % placebo interval.',
  decay: 'The half-life of the decay from a date (by default the highest value), exponential or power law, with a 95 % bootstrap interval.',
};

const signed = (value) => (value == null ? '–' : `${value >= 0 ? '+' : ''}${(value * 100).toFixed(1)} %`);
const at = (step) => escape(step.date ?? `step ${step.step}`);
const interval = (pair, format) => (pair ? `${format(pair[0])} to ${format(pair[1])}` : '– (too few placebos)');

function form() {
  return `<form id="analyze-form" class="analyze-form">
    <label>Analysis <select id="analyze-kind">
      <option value="detect">Changepoints and peaks</option><option value="effect">Effect of an intervention</option><option value="decay">Decay</option>
    </select></label>
    <label>File <input type="file" id="analyze-file" accept=".csv,.tsv,.txt,.json"></label>
    <label class="effect-only">Treated unit <input id="analyze-treated" placeholder="the only unit"></label>
    <label class="effect-only">Intervention dates <input id="analyze-at" placeholder="2024-03-01, 2024-06-15"></label>
    <label class="decay-only">Decay from <input id="analyze-after" placeholder="the highest value"></label>
    <textarea id="analyze-text" rows="10" spellcheck="false" placeholder="date,value&#10;2024-01-01,120&#10;2024-01-02,135&#10;…"></textarea>
    <button type="submit">Analyse</button>
  </form>
  <p class="muted" id="analyze-help"></p>
  <section id="analyze-results" data-state="idle"></section>`;
}

// The request body: the text as the series (read as a file), or a JSON value when it is one.
function body(kind) {
  const text = document.getElementById('analyze-text').value;
  let series = text;
  if (/^\s*[[{]/.test(text)) {
    try { series = JSON.parse(text); } catch { series = text; }
  }
  const request = { series };
  const value = (id) => document.getElementById(id).value.trim();
  if (kind === 'effect') {
    if (value('analyze-treated')) request.treated = value('analyze-treated');
    request.at = value('analyze-at').split(/[,\s]+/).filter(Boolean);
  }
  if (kind === 'decay' && value('analyze-after')) request.after = value('analyze-after');
  return request;
}

// A picked file's text: UTF-8, else EUC-KR (Korean charts and exports often are), as the command
// line reads them; a file that is neither is shown as UTF-8 with its bad bytes replaced.
function decoded(bytes) {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    try {
      return new TextDecoder('euc-kr', { fatal: true }).decode(bytes);
    } catch {
      return new TextDecoder('utf-8').decode(bytes);
    }
  }
}

async function post(kind, request, plot) {
  const response = await fetch(`/api/analyze/${kind}${plot ? '?plot=svg' : ''}`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request),
  });
  if (!response.ok) {
    const error = await response.json().catch(() => ({}));
    throw new Error(error.error || `${response.status}`);
  }
  return plot ? response.text() : response.json();
}

function detectionResults(results) {
  return results.map((result) => `<h2>${escape(result.unit)}</h2>
    <p>${result.steps} steps, ${result.changepoints.length} changepoints (cost ${escape(result.cost)}), ${result.peaks.length} peaks${result.peaks.length ? `: ${result.peaks.map((peak) => `${at(peak)} (${number(peak.value, 1)})`).join(', ')}` : ''}.</p>
    ${table(['From', 'To', '#Steps', '#Level', '#Slope per step', '#Spread (sd)'], result.segments.map((segment) => `<tr>
      <td>${at(segment.start)}</td><td>${at(segment.end)}</td><td class="num">${segment.steps}</td><td class="num">${number(segment.level, 1)}</td>
      <td class="num">${segment.slope_per_step == null ? '–' : number(segment.slope_per_step, 3)}</td><td class="num">${number(segment.sd, 1)}</td></tr>`), 'class="analyze-segments"')}`).join('');
}

function effectResults(result) {
  return table(['Intervention', 'Against', '#Lift', '95 % interval', '#Mean observed', '#Mean counterfactual', '#Cumulative', 'Cumulative 95 %'],
    result.interventions.map((intervention) => `<tr>
      <td>${at(intervention.at)}</td><td>${escape(intervention.against)}</td><td class="num">${signed(intervention.lift)}</td>
      <td>${interval(intervention.lift_interval, signed)}</td><td class="num">${number(intervention.average_observed, 1)}</td>
      <td class="num">${number(intervention.average_counterfactual, 1)}</td><td class="num">${number(intervention.cumulative, 0)}</td>
      <td>${interval(intervention.cumulative_interval, (value) => number(value, 0))}</td></tr>`), 'id="analyze-effects"');
}

function decayResults(result) {
  const other = result.other_shape ? ` The ${escape(result.other_shape.shape.replace('_', ' '))} fits worse (AIC +${number(result.other_shape.aic - result.aic, 1)}).` : '';
  return `<p id="analyze-decay">From ${at(result.start)}: ${escape(result.shape.replace('_', ' '))} decay, half-life <strong>${number(result.half_life_days, 1)} days</strong>
    (95 %: ${interval(result.half_life_interval, (value) => number(value, 1))}), baseline ${number(result.baseline, 1)}, over ${result.points_fitted} points.${other}</p>`;
}

async function analyse(element) {
  const kind = document.getElementById('analyze-kind').value;
  element.dataset.state = 'loading';
  element.innerHTML = '<p class="muted">Analysing…</p>';
  try {
    const request = body(kind);
    const [answer, svg] = await Promise.all([post(kind, request, false), post(kind, request, true)]);
    const results = answer.results;
    const gaps = answer.filled_gaps.length ? `<p class="note">${answer.filled_gaps.length} gaps filled.</p>` : '';
    const details = kind === 'detect' ? detectionResults(results) : kind === 'effect' ? effectResults(results) : decayResults(results);
    // The plot is the server's SVG, shown as an image: it draws what `--plot` draws, and an image runs no script.
    element.innerHTML = `${gaps}${details}<img id="analyze-plot" alt="the plot of the analysis" src="data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}">`;
    element.dataset.state = 'ready';
  } catch (error) {
    element.innerHTML = `<p class="error">${escape(error.message)}</p>`;
    element.dataset.state = 'error';
  }
}

export async function analyzeView(view) {
  view.innerHTML = `<h1>Analyse a series</h1>
    <p class="muted">Any series of yours: stream counts, a YouTube Studio or Google Trends export. The same analyses as <code>encore detect</code>, <code>effect</code> and <code>decay</code>; nothing is stored.</p>
    ${form()}`;
  const kind = document.getElementById('analyze-kind');
  const showFields = () => {
    document.getElementById('analyze-help').textContent = HELP[kind.value];
    for (const label of view.querySelectorAll('.effect-only')) label.hidden = kind.value !== 'effect';
    for (const label of view.querySelectorAll('.decay-only')) label.hidden = kind.value !== 'decay';
  };
  kind.addEventListener('change', showFields);
  showFields();
  document.getElementById('analyze-file').addEventListener('change', async (event) => {
    const [file] = event.target.files;
    if (file) document.getElementById('analyze-text').value = decoded(await file.arrayBuffer());
  });
  document.getElementById('analyze-form').addEventListener('submit', (event) => {
    event.preventDefault();
    analyse(document.getElementById('analyze-results'));
  });
}
