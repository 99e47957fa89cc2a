// The listener section of a song, drama or the all-music page, from /api/…/listeners: when the
// music is played (hour × weekday in local time), how plays move around the airings, who stays
// after the finale and who came only after it, where the plays come from, and how sessions and
// plays go. Generated logs are labelled as such; a store without listens says how to add them.
import { airingChart, countryChart, heatmap, retentionChart } from './listener_charts.js';
import { count, escape, number, percent, table } from './format.js';

const ZONES = ['UTC', 'Asia/Seoul', 'Asia/Tokyo', 'Asia/Jakarta', 'Europe/London', 'Europe/Berlin', 'America/New_York', 'America/Los_Angeles', 'America/Sao_Paulo'];
const TOP_COUNTRIES = 6;
const GENERATED_BANNER = 'Generated listening logs — made by Encore\'s model, not real listeners';

function zoneChoice(selected) {
  const browser = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const zones = [...new Set([...ZONES, browser, selected].filter(Boolean))];
  return `<label class="zone">Time zone for logs without a country
    <select id="listener-zone">${zones.map((zone) => `<option${zone === selected ? ' selected' : ''}>${escape(zone)}</option>`).join('')}</select></label>`;
}

const NO_LISTENS = `<p class="note" id="no-listens">The store holds no listening logs yet. Add yours with
  <code>encore ingest</code> of a Spotify (account or extended streaming history), ListenBrainz or Last.fm export,
  or make a generated log with <code>encore listeners generate</code>.</p>`;

function sourcesLine(view) {
  const sources = view.sources.map((source) => `${escape(source.source)} (${count(source.listens)})`).join(', ');
  return `<p class="muted">${count(view.listens)} listens in the store, from ${sources}. Hours are local: the listener's country's zone, else ${escape(view.time_zone)}.</p>`;
}

function gatewaySplit(cohorts) {
  const total = cohorts.first_plays.reduce((sum, phase) => sum + phase.listeners, 0);
  const phases = ['before_premiere', 'during_broadcast', 'after_finale'].map((name) => {
    const found = cohorts.first_plays.find((phase) => phase.phase === name);
    const label = { before_premiere: 'before the premiere', during_broadcast: 'during the broadcast', after_finale: 'after the finale' }[name];
    const listeners = found?.listeners ?? 0;
    return `<div><span>First played ${label}</span>${count(listeners)} listeners${total ? ` (${percent(listeners / total)})` : ''}</div>`;
  });
  return `<div class="facts" id="gateway-split">${phases.join('')}
    <div><span>Gateway share</span>${percent(cohorts.gateway_share)} came to the songs only after the finale</div></div>`;
}

function playsTable(view) {
  const columns = [['in_scope', view.scope.label], ['ost', 'any OST'], ['all', 'all music']];
  const row = (label, cell) => `<tr><td>${label}</td>${columns.map(([key]) => `<td class="num">${cell(key)}</td>`).join('')}</tr>`;
  const reasons = (key) => view.playback[key].by_end_reason.slice(0, 3).map((reason) => `${escape(reason.reason || 'unknown')} ${percent(reason.plays / Math.max(1, view.playback[key].plays))}`).join(', ') || '–';
  return table(['', ...columns.map(([, label]) => `#${label}`)], [
    row('Plays', (key) => count(view.sessions[key].plays)),
    row('Replays (same track, same session)', (key) => `${count(view.sessions[key].replays)} (${percent(view.sessions[key].replay_share)})`),
    row('Replay streaks (mean length)', (key) => `${count(view.sessions[key].streaks)} (${number(view.sessions[key].mean_streak, 1)})`),
    row('Completion (share of the track played)', (key) => percent(view.playback[key].completion)),
    row('Skipped', (key) => count(view.playback[key].skipped)),
    row('How plays end', reasons),
  ], 'id="listener-plays"');
}

function countriesTable(countries) {
  return table(['Country', '#Plays', '#Listeners', '#Share'], countries.slice(0, TOP_COUNTRIES).map((country) => `<tr>
    <td>${escape(country.country || 'unknown')}</td><td class="num">${count(country.plays)}</td>
    <td class="num">${count(country.listeners)}</td><td class="num">${percent(country.share)}</td></tr>`), 'id="listener-countries"');
}

function render(element, view) {
  const banner = view.generated ? `<p class="banner" id="generated-banner">${GENERATED_BANNER}</p>` : '';
  const parts = [banner, sourcesLine(view)];
  if (view.heatmap.plays === 0) {
    parts.push(`<p class="note">None of the store's listens is of ${escape(view.scope.label)}.</p>`);
    element.querySelector('.listener-body').innerHTML = parts.join('');
    return;
  }
  parts.push(`<div class="facts">
      <div><span>Plays</span>${count(view.heatmap.plays)} of ${count(view.heatmap.all_plays)}</div>
      <div><span>Sessions (${view.sessions.gap_minutes}-minute gaps)</span>${count(view.sessions.sessions)}, ${number(view.sessions.plays_per_session, 1)} plays each</div>
      <div><span>Listeners</span>${count(view.sessions.listeners)}</div>
    </div>
    <h3>When it is played: hour × weekday, local time</h3>
    <div id="listener-heatmap-box"></div>`);
  if (view.airings) {
    parts.push(`<h3>Around the airings</h3>
      <p class="legend-note">Plays in each hour from ${view.airings.hours_before} h before to ${view.airings.hours_after} h after the start of each of ${view.airings.airings} airings, ÷ the same hour of the week in the two weeks after the broadcast; the mean over the airings, shaded: its 95 % interval. Dashed: no change.</p>
      <div class="chart" id="airing-chart"></div>`);
  }
  if (view.cohorts) {
    parts.push(`<h3>Who stays after the broadcast</h3>
      ${gatewaySplit(view.cohorts)}
      <p class="legend-note">Listeners by when they first played the songs; the share of each group still playing in each week after the broadcast ended.</p>
      <div class="chart" id="retention-chart"></div>`);
  }
  parts.push(`<h3>Where the plays come from</h3>
    ${countriesTable(view.countries.countries)}
    <p class="legend-note">Each of the top countries' share of the month's plays.</p>
    <div class="chart" id="country-chart"></div>
    <h3>Sessions, replays and how plays end</h3>
    ${playsTable(view)}`);
  element.querySelector('.listener-body').innerHTML = parts.join('');
  heatmap(element.querySelector('#listener-heatmap-box'), view);
  if (view.airings) airingChart(element.querySelector('#airing-chart'), view.airings);
  if (view.cohorts) {
    if (view.cohorts.retention.length) retentionChart(element.querySelector('#retention-chart'), view.cohorts);
    else element.querySelector('#retention-chart').innerHTML = '<p class="muted">No listener of these songs yet.</p>';
  }
  const top = view.countries.countries.slice(0, TOP_COUNTRIES);
  if (view.countries.months.length > 1) countryChart(element.querySelector('#country-chart'), view.countries, top);
  else element.querySelector('#country-chart').remove();
}

// Fills `element` from `path` (an /api/…/listeners URL) in `zone`; `element.dataset.state` goes
// from `loading` to `ready` (or `empty`, `error`), which the browser test waits for.
export async function showListeners(element, path, zone = 'UTC') {
  element.dataset.state = 'loading';
  element.innerHTML = `<h2>Listeners</h2>${zoneChoice(zone)}<div class="listener-body"><p class="muted">Analysing listens…</p></div>`;
  element.querySelector('#listener-zone').onchange = (event) => showListeners(element, path, event.target.value);
  const request = `${path}?time_zone=${encodeURIComponent(zone)}`;
  element.dataset.request = request;
  try {
    const response = await fetch(request);
    const view = await response.json();
    if (!response.ok) throw new Error(view.error || `${response.status}`);
    // The page moved on, or another zone was chosen meanwhile.
    if (!element.isConnected || element.dataset.request !== request) return;
    if (view.listens === 0) {
      element.querySelector('.listener-body').innerHTML = NO_LISTENS;
      element.dataset.state = 'empty';
      return;
    }
    render(element, view);
    element.dataset.state = 'ready';
  } catch (error) {
    element.querySelector('.listener-body').innerHTML = `<p class="error">${escape(error.message)}</p>`;
    element.dataset.state = 'error';
  }
}
