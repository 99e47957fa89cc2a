// The dashboard: a hash router over ten views (leaderboard, song, drama, regions, marketing, the
// creator's checklist, lyrics, listeners, recommendations, and the analysis of a series the user brings), reading the JSON API of the same server. Needs no login and no network beyond this server.
import { analyzeView } from './analyze.js';
import { attentionChart, collectedChart, day, rankChart, ratingsChart } from './charts.js';
import { checklistView, showCampaign, showSongChecklist } from './checklist.js';
import { escape, number, percent, table } from './format.js';
import { showListeners } from './listeners.js';
import { lyricsView } from './lyrics.js';
import { recommendView } from './recommend.js';

const view = document.getElementById('view');

const songLink = (id, title) => `<a href="#/song/${encodeURIComponent(id)}">${escape(title)}</a>`;
const dramaLink = (id, title) => `<a href="#/drama/${encodeURIComponent(id)}">${escape(title)}</a>`;

async function api(path) {
  const response = await fetch(path);
  const body = await response.json();
  if (!response.ok) throw new Error(body.error || `${response.status}`);
  return body;
}

async function leaderboardView() {
  const rows = await api('/api/leaderboard');
  view.innerHTML = `<h1>Songs that outgrew their drama</h1>
    <p class="muted">Eclipse score: the song's chart attention after the drama's finale divided by the drama's attention over its whole life. Above 1, the song's afterlife alone outweighs the drama.</p>
    ${table(['#Rank', 'Song', 'Artists', 'Drama', '#Eclipse score', 'Crossover', '#Chart days after finale'], rows.map((row) => `<tr>
      <td class="num">${row.rank}</td><td>${row.song_id ? songLink(row.song_id, row.song) : escape(row.song)}</td>
      <td>${escape(row.artists)}</td><td>${dramaLink(row.eclipse.drama_id, row.drama)}</td>
      <td class="num">${number(row.eclipse.score)}</td><td>${escape(row.crossover ?? '–')}</td>
      <td class="num">${percent(row.eclipse.share_after_finale)}</td></tr>`), 'id="leaderboard"')}`;
}

function markersOf(song) {
  const markers = [];
  const drama = song.drama_detail;
  for (const episode of song.episodes) if (episode.air_date) markers.push({ date: episode.air_date, color: 'rgba(63,81,181,0.18)' });
  if (song.release_date) markers.push({ date: song.release_date, label: 'release', color: '#c2185b', width: 1.5 });
  if (drama?.premiere) markers.push({ date: drama.premiere, label: 'premiere', color: '#3f51b5', width: 2 });
  if (drama?.finale) markers.push({ date: drama.finale, label: 'finale', color: '#3f51b5', width: 2 });
  for (const event of song.events) {
    if (event.first_day && !['release', 'premiere', 'finale'].includes(event.kind)) {
      markers.push({ date: event.first_day, label: event.kind.replace(/_/g, ' '), color: '#f57c00', dash: true });
    }
  }
  return markers;
}

function peaksTable(peaks) {
  if (peaks.length === 0) return '<p class="muted" id="peaks">No peaks.</p>';
  return table(['Peak', 'Chart', 'Date', '#Rank', 'Phase', 'Cause', 'Run'], peaks.map((peak, index) => `<tr>
    <td>P${index + 1}</td><td>${escape(peak.chart_name)} ${escape(peak.region.toUpperCase())}</td><td>${peak.date}</td>
    <td class="num">${peak.rank}</td><td><span class="tag ${peak.phase}">${escape(peak.phase)}</span></td>
    <td>${escape(peak.description)}</td><td>${peak.run_start} – ${peak.run_end}</td></tr>`), 'id="peaks"');
}

async function songView(id) {
  const song = await api(`/api/songs/${encodeURIComponent(id)}`);
  const drama = song.drama_detail;
  const eclipse = song.eclipse;
  song.events.sort((left, right) => (left.first_day ?? '9999').localeCompare(right.first_day ?? '9999'));
  view.innerHTML = `<h1>${escape(song.title_en || song.title)}<span class="ko">${escape(song.title_ko)}</span></h1>
    <div class="facts">
      <div><span>Artists</span>${escape(song.artists.join(', '))}</div>
      <div><span>Drama</span>${drama ? dramaLink(drama.id, song.drama) : '–'}${song.ost_part ? ` (OST part ${song.ost_part})` : ''}</div>
      <div><span>Released</span>${song.release_date ?? '–'}</div>
      <div><span>Airing</span>${drama?.premiere ?? '?'} – ${drama?.finale ?? '?'}</div>
      <div><span>Eclipse score</span>${number(eclipse?.score)}${song.leaderboard_rank ? ` (#${song.leaderboard_rank})` : ''}</div>
      <div><span>Crossover</span>${escape(song.crossover ?? '–')}</div>
      <div><span>Chart rows / best rank</span>${song.chart_rows} / ${song.best_rank ?? '–'}</div>
    </div>
    <h2>Song and drama on one timeline</h2>
    <p class="buttons"><button id="zoom-all">Whole chart life</button> <button id="zoom-drama"${drama?.premiere ? '' : ' disabled'}>Around the drama's airing</button></p>
    <p class="legend-note">Daily attention (0-100). Blue lines: episode airings; premiere and finale labelled; orange dashed: catalog events; red dots: peaks (numbers as in the table).</p>
    <div class="chart" id="attention-chart"></div>
    <h2>Chart positions</h2>
    <div class="chart" id="rank-chart"></div>
    <section id="collected"></section>
    <h2>Peaks and their likely causes</h2>
    ${peaksTable(song.peak_list)}
    <h2>Events</h2>
    ${song.events.length === 0 ? '<p class="muted">No catalog events.</p>' : table(['Date', 'Kind', 'Detail'], song.events.map((event) => `<tr><td>${event.first_day ?? '–'}${event.last_day && event.last_day !== event.first_day ? ` – ${event.last_day}` : ''}</td><td>${escape(event.kind)}</td><td>${escape(event.detail)}</td></tr>`))}
    <section id="checklist"></section>
    <section id="listeners" class="listeners"></section>`;
  const markers = markersOf(song);
  const attentionByDay = new Map(song.song_attention.map((point) => [point.date, point.value]));
  const attentionPeaks = song.peak_list.map((peak, index) => ({ date: peak.date, value: attentionByDay.get(peak.date) ?? peak.score, label: `P${index + 1}` }));
  const rankPeaks = song.peak_list.map((peak, index) => ({ date: peak.date, value: peak.rank, label: `P${index + 1}` }));
  const plots = [];
  if (song.song_attention.length || song.drama_attention.length) plots.push(attentionChart(document.getElementById('attention-chart'), song, markers, attentionPeaks));
  if (song.series.length) plots.push(rankChart(document.getElementById('rank-chart'), song, markers, rankPeaks));
  else document.getElementById('rank-chart').innerHTML = '<p class="muted">No chart rows.</p>';
  // Decades of chart life squeeze a drama's weeks into a line: zoom both charts to its airing.
  const zoom = (min, max) => plots.forEach((plot) => plot.setScale('x', { min, max }));
  document.getElementById('zoom-all').onclick = () => plots.forEach((plot) => plot.setScale('x', { min: plot.data[0][0], max: plot.data[0][plot.data[0].length - 1] }));
  document.getElementById('zoom-drama').onclick = () => {
    const start = day(drama.premiere) - 90 * 86400;
    const end = day(drama.finale ?? drama.premiere) + 365 * 86400;
    zoom(start, end);
  };
  await showCollected(document.getElementById('collected'), id, markers, plots);
  await showSongChecklist(document.getElementById('checklist'), id);
  // Not awaited: the page is ready while the listener analysis runs (seconds the first time).
  showListeners(document.getElementById('listeners'), `/api/songs/${encodeURIComponent(id)}/listeners`);
}

// The series `encore collect` gathered for the song, beside its charts; nothing when none.
async function showCollected(element, id, markers, plots) {
  const collected = await api(`/api/songs/${encodeURIComponent(id)}/collected`);
  const series = collected.series.filter((one) => one.points.length > 0);
  if (series.length === 0) {
    element.innerHTML = collected.watched ? '<h2>Collected series</h2><p class="muted">Watched, but nothing collected yet.</p>' : '';
    return;
  }
  element.innerHTML = `<h2>Collected series</h2>
    <p class="legend-note">Fetched by <code>encore collect</code> from public APIs: daily pageviews of the song's Wikipedia articles, and the daily increase of its YouTube views and Last.fm plays between snapshots.</p>
    <div class="chart" id="collected-chart"></div>`;
  plots.push(collectedChart(document.getElementById('collected-chart'), series, markers));
}

async function dramaView(id) {
  const drama = await api(`/api/dramas/${encodeURIComponent(id)}`);
  view.innerHTML = `<h1>${escape(drama.title_en || drama.title)}<span class="ko">${escape(drama.title_ko)}</span></h1>
    <div class="facts">
      <div><span>Network</span>${escape(drama.network)} ${escape(drama.slot)}</div>
      <div><span>Airing</span>${drama.premiere ?? '?'} – ${drama.finale ?? '?'}</div>
      <div><span>Episodes</span>${drama.episode_count ?? drama.episodes.length}</div>
      <div><span>OST parts on charts</span>${drama.songs_on_charts} of ${drama.songs}</div>
    </div>
    <h2>OST parts</h2>
    ${table(['#Part', 'Song', 'Artists', 'Released', '#Chart rows', '#Best rank', '#Peaks', '#Eclipse score', 'Crossover'], drama.ost.map((song) => `<tr>
      <td class="num">${song.ost_part ?? '–'}</td><td>${songLink(song.id, song.title)}${song.title_ko && song.title_ko !== song.title ? ` <span class="muted">${escape(song.title_ko)}</span>` : ''}</td>
      <td>${escape(song.artists.join(', '))}</td><td>${song.release_date ?? '–'}</td><td class="num">${song.chart_rows}</td>
      <td class="num">${song.best_rank ?? '–'}</td><td class="num">${song.peaks}</td><td class="num">${number(song.eclipse_score)}</td><td>${escape(song.crossover ?? '–')}</td></tr>`), 'id="ost"')}
    <section id="campaign-section"></section>
    <h2>Episode ratings</h2>
    <div class="chart" id="ratings-chart"></div>
    <section id="listeners" class="listeners"></section>`;
  const markers = drama.events.filter((event) => event.first_day).map((event) => ({ date: event.first_day, label: event.kind, color: '#f57c00', dash: true }));
  if (drama.episodes.some((episode) => episode.air_date)) ratingsChart(document.getElementById('ratings-chart'), drama.episodes, markers);
  await showCampaign(document.getElementById('campaign-section'), id);
  showListeners(document.getElementById('listeners'), `/api/dramas/${encodeURIComponent(id)}/listeners`);
}

async function listenersView() {
  view.innerHTML = `<h1>Listeners</h1>
    <p class="muted">Every listen in the store: when people play music, how their sessions go, where they are. A song's or drama's page shows its own listeners against this.</p>
    <section id="listeners" class="listeners"></section>`;
  showListeners(document.getElementById('listeners'), '/api/listeners');
}

async function dramasView() {
  const dramas = await api('/api/dramas');
  view.innerHTML = `<h1>Dramas</h1>${table(['Drama', 'Korean title', 'Network', 'Premiere', 'Finale', '#Songs', '#On charts'], dramas.map((drama) => `<tr>
    <td>${dramaLink(drama.id, drama.title_en || drama.title)}</td><td>${escape(drama.title_ko)}</td><td>${escape(drama.network)}</td>
    <td>${drama.premiere ?? '–'}</td><td>${drama.finale ?? '–'}</td><td class="num">${drama.songs}</td><td class="num">${drama.songs_on_charts}</td></tr>`))}`;
}

async function regionsView() {
  const regions = await api('/api/regions');
  view.innerHTML = `<h1>Charts and regions</h1>
    ${table(['Chart', 'Region', '#Rows', '#Matched rows', 'First issue', 'Last issue', '#Catalog songs'], regions.map((region) => `<tr>
      <td>${escape(region.chart)}</td><td>${escape(region.region)}</td><td class="num">${region.chart_rows}</td><td class="num">${region.matched_rows}</td>
      <td>${region.first_date ?? '–'}</td><td>${region.last_date ?? '–'}</td><td class="num">${region.songs.length}</td></tr>`), 'id="regions"')}
    ${regions.filter((region) => region.songs.length).map((region) => `<h2>${escape(region.chart)} · ${escape(region.region.toUpperCase())}: first chart day per song</h2>
      ${table(['First chart day', 'Song', 'Drama', '#Best rank', '#Rows'], region.songs.map((song) => `<tr><td>${song.first_chart_date}</td>
        <td>${songLink(song.song_id, song.title)}</td><td>${escape(song.drama)}</td><td class="num">${song.best_rank}</td><td class="num">${song.chart_rows}</td></tr>`))}`).join('')}`;
}

const signed = (value) => `${value >= 0 ? '+' : ''}${Math.round(value * 100)}%`;

async function marketingView() {
  const rows = await api('/api/marketing-effect');
  view.innerHTML = `<h1>Marketing effect</h1>
    <p class="muted">Lift over the 28 days from each move, against the song's own 28 days before or a synthetic control of comparable songs, with a 95 % placebo interval.</p>
    ${table(['Approach', 'Song', 'Date', 'Detail', 'Measured lift'], rows.map((row) => `<tr>
      <td>${escape(row.approach)}</td><td>${songLink(row.song_id, row.title)}</td><td>${row.date}</td><td>${escape(row.detail)}</td>
      <td>${row.lift ? `${signed(row.lift.estimate)}${row.lift.interval ? ` [${signed(row.lift.interval[0])}, ${signed(row.lift.interval[1])}]` : ''} <span class="muted">(${escape(row.method.replace(/_/g, ' '))})</span>` : ''}${row.reason ? ` <span class="muted">${escape(row.reason)}</span>` : ''}</td></tr>`), 'id="marketing"')}`;
}

async function route() {
  const [, page, id] = decodeURIComponent(location.hash.replace(/^#/, '')).split('/');
  view.innerHTML = '<p class="muted">Loading…</p>';
  try {
    if (page === 'song' && id) await songView(id);
    else if (page === 'drama' && id) await dramaView(id);
    else if (page === 'dramas') await dramasView();
    else if (page === 'regions') await regionsView();
    else if (page === 'marketing') await marketingView();
    else if (page === 'checklist') await checklistView(view);
    else if (page === 'lyrics') await lyricsView(view);
    else if (page === 'listeners') await listenersView();
    else if (page === 'recommend') await recommendView(view);
    else if (page === 'analyze') await analyzeView(view);
    else await leaderboardView();
    document.body.dataset.ready = page || 'leaderboard';
  } catch (error) {
    view.innerHTML = `<p class="error">${escape(error.message)}</p>`;
    document.body.dataset.ready = 'error';
  }
}

window.addEventListener('hashchange', route);
route();
