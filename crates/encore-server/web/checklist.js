// The creator's checklist and the campaign timeline: the catalog's checklist page (the outcome with
// and without each item, and every song's items at a glance), a song's checklist section, and a
// drama's campaign section (the server's figure and the table of its parts).
import { escape, number, table } from './format.js';

const STATUS_TEXT = { evidenced: 'yes', absent: 'no', no_data: 'no data' };
const METRIC_TEXT = { eclipse_score: 'eclipse score', chart_days_after_finale: 'chart days after finale' };

async function api(path) {
  const response = await fetch(path);
  const body = await response.json();
  if (!response.ok) throw new Error(body.error || `${response.status}`);
  return body;
}

const status = (item) => `<span class="status ${item.status}" title="${escape(item.detail)}">${STATUS_TEXT[item.status] ?? escape(item.status)}</span>`;

function outcomeCell(row) {
  if (row.not_measurable) return `<span class="muted">${escape(row.not_measurable)}</span>`;
  const digits = row.metric === 'eclipse_score' ? 2 : 1;
  const clear = row.interval[0] > 0 || row.interval[1] < 0;
  return `${clear ? '<strong>' : ''}${number(row.difference, digits)}${clear ? '</strong>' : ''} [${number(row.interval[0], digits)}, ${number(row.interval[1], digits)}]`;
}

export async function checklistView(view) {
  const checklist = await api('/api/checklist');
  const labels = checklist.songs[0]?.items.map((item) => item.label) ?? [];
  view.innerHTML = `<h1>Creator's checklist</h1>
    <p class="muted">Each item of the usual OST checklist, per song: <em>yes</em> when the catalog or the data shows it, <em>no</em> when the data could show it and does not, <em>no data</em> when nothing Encore holds can tell (never counted as no). Hover a cell for what shows it.</p>
    <h2>Outcome with and without each item</h2>
    <p class="muted">${escape(checklist.outcome_basis)}. Bold: the interval excludes 0.</p>
    ${table(['Item', 'Outcome', '#n with', '#n without', '#No data', '#Mean with', '#Mean without', 'Difference [95 %]'], checklist.outcomes.map((row) => `<tr>
      <td>${escape(labels[checklist.songs[0].items.findIndex((item) => item.item === row.item)] ?? row.item)}</td><td>${METRIC_TEXT[row.metric] ?? escape(row.metric)}</td>
      <td class="num">${row.songs_with}</td><td class="num">${row.songs_without}</td><td class="num">${row.songs_without_data}</td>
      <td class="num">${row.mean_with == null ? '–' : number(row.mean_with)}</td><td class="num">${row.mean_without == null ? '–' : number(row.mean_without)}</td>
      <td>${outcomeCell(row)}</td></tr>`), 'id="checklist-outcomes"')}
    <h2>Every song</h2>
    ${table(['Song', 'Drama', ...labels], checklist.songs.map((song) => `<tr>
      <td><a href="#/song/${encodeURIComponent(song.song_id)}">${escape(song.title)}</a>${song.events === 0 ? ' <span class="muted" title="the catalog lists no events for this song: its event items have no data">(no events)</span>' : ''}</td>
      <td>${escape(song.drama ?? '–')}</td>${song.items.map((item) => `<td>${status(item)}</td>`).join('')}</tr>`), 'id="checklist-songs" class="matrix"')}`;
}

// The song page's checklist: every item with what shows it.
export async function showSongChecklist(element, songId) {
  try {
    const checklist = await api(`/api/songs/${encodeURIComponent(songId)}/checklist`);
    element.innerHTML = `<h2>Creator's checklist</h2>
      ${checklist.events === 0 ? '<p class="muted">The catalog lists no events for this song: its event items have no data, not a score of 0.</p>' : ''}
      ${table(['Item', 'Status', 'What shows it'], checklist.items.map((item) => `<tr><td>${escape(item.label)}</td><td>${status(item)}</td><td>${escape(item.detail)}</td></tr>`), 'id="song-checklist"')}
      <p class="muted"><a href="#/checklist">The outcome with and without each item, over the catalog</a></p>`;
  } catch (error) {
    element.innerHTML = `<p class="error">${escape(error.message)}</p>`;
  }
}

function peakText(song) {
  if (song.peak_after_release) return `${number(song.peak_after_release.attention, 0)} on ${song.peak_after_release.date}`;
  if (!song.charted) return 'never charted';
  return song.release_date ? 'not charted in those days' : 'no release date';
}

// The drama page's campaign: the figure the server draws and each part's release and events.
export async function showCampaign(element, dramaId) {
  try {
    const timeline = await api(`/api/dramas/${encodeURIComponent(dramaId)}/timeline`);
    const drawable = timeline.episodes.length > 0 || timeline.songs.some((song) => song.release_date);
    element.innerHTML = `<h2>Campaign timeline</h2>
      <p class="muted">Each OST part's release against the premiere and the episodes, its catalog events, and its highest daily attention in the ${timeline.follow_days} days after release.</p>
      ${drawable ? `<img class="figure" id="campaign-figure" alt="OST releases and attention on the episode calendar" src="/api/dramas/${encodeURIComponent(dramaId)}/timeline?plot=svg">` : '<p class="muted">Nothing dated to draw: no episode air dates and no release dates.</p>'}
      ${table(['#Part', 'Song', 'Released', 'Against the broadcast', 'Events', `Peak within ${timeline.follow_days} days`], timeline.songs.map((song) => `<tr>
        <td class="num">${song.ost_part ?? '–'}</td><td><a href="#/song/${encodeURIComponent(song.song_id)}">${escape(song.title)}</a></td>
        <td>${song.release_date ?? '–'}</td><td>${escape(song.timing)}</td>
        <td>${song.events.length ? song.events.map((event) => `${event.date} ${escape(event.kind.replace(/_/g, ' '))}`).join('; ') : '<span class="muted">no catalog events</span>'}</td>
        <td>${peakText(song)}</td></tr>`), 'id="campaign"')}`;
  } catch (error) {
    element.innerHTML = `<p class="error">${escape(error.message)}</p>`;
  }
}
