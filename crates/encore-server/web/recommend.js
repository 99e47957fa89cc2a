// The recommendations page: pick a listener and see OSTs of dramas they have played nothing of,
// each with why (the listener's songs its listeners also play, its nearest songs), from
// /api/recommend; and grow a playlist from a song, drama or artist, from /api/playlist, with its
// CSV, JSON and M3U downloads. Generated listeners are labelled as such. Each results section's
// `data-state` goes from `loading` to `ready` (or `empty`, `error`), which the browser test waits for.
import { count, escape, number, table } from './format.js';

const GENERATED_NOTE = 'Generated listeners — made by Encore\'s model, not real people';
const LISTENERS_LISTED = 200;

const NO_LISTENS = `<p class="note" id="no-listens">The store holds no listening logs to learn from yet. Add yours with
  <code>encore ingest</code> of a Spotify, ListenBrainz or Last.fm export, or make a generated log with
  <code>encore listeners generate</code>.</p>`;

const songLink = (id, title) => (id ? `<a href="#/song/${encodeURIComponent(id)}">${escape(title)}</a>` : escape(title));
const dramaLink = (id, title) => (id ? `<a href="#/drama/${encodeURIComponent(id)}">${escape(title ?? id)}</a>` : '–');
const newBadge = (coldStart) => (coldStart ? ' <span class="tag new" title="Nobody has played it yet: placed by its drama, artists and release">new</span>' : '');

async function api(path) {
  const response = await fetch(path);
  const body = await response.json();
  if (!response.ok) throw new Error(body.error || `${response.status}`);
  return body;
}

// The reasons under a recommendation's sentence: co-listened songs, then the nearest songs.
function reasons(recommendation) {
  const because = recommendation.because.map((song) => `${escape(song.title)} (${count(song.co_listeners)} listeners)`).join('; ');
  const similar = recommendation.similar.map((song) => `${escape(song.title)} (${number(song.similarity)})`).join('; ');
  return `<p class="explanation">${escape(recommendation.explanation)}</p>
    ${because ? `<p class="reasons"><span>Listeners of it also play</span> ${because}</p>` : ''}
    ${similar ? `<p class="reasons"><span>Nearest songs</span> ${similar}</p>` : ''}`;
}

function recommendationsTable(answer) {
  return table(['#Rank', 'Song', 'Artists', 'Drama', '#Score', 'Why'], answer.recommendations.map((recommendation) => `<tr>
    <td class="num">${recommendation.rank}</td><td>${songLink(recommendation.song_id, recommendation.title)}${newBadge(recommendation.cold_start)}</td>
    <td>${escape(recommendation.artist)}</td><td>${dramaLink(recommendation.drama_id, recommendation.drama)}</td>
    <td class="num">${number(recommendation.score, 3)}</td><td>${reasons(recommendation)}</td></tr>`), 'id="recommendations"');
}

function modelLine(model) {
  return `<p class="legend-note" id="recommend-model">Implicit-feedback ALS over ${count(model.listeners)} listeners and ${count(model.songs)} songs:
    ${model.factors} factors, λ ${model.regularization}, α ${model.alpha}, ${model.iterations} iterations. Only OSTs of dramas the listener has played nothing of are recommended.</p>`;
}

async function showRecommendations(element, user) {
  element.dataset.state = 'loading';
  element.innerHTML = '<p class="muted">Learning from the listens (seconds the first time)…</p>';
  const request = `/api/recommend?user=${encodeURIComponent(user)}&top=10`;
  element.dataset.request = request;
  try {
    const answer = await api(request);
    // The page moved on, or another listener was picked meanwhile.
    if (!element.isConnected || element.dataset.request !== request) return;
    if (answer.recommendations.length === 0) {
      element.innerHTML = `<p class="note">${escape(user)} has played an OST of every drama Encore knows: nothing left to recommend.</p>`;
      element.dataset.state = 'empty';
      return;
    }
    element.innerHTML = `<h2>For ${escape(answer.user)}</h2>${recommendationsTable(answer)}${modelLine(answer.model)}`;
    element.dataset.state = 'ready';
  } catch (error) {
    if (element.dataset.request !== request) return;
    element.innerHTML = `<p class="error">${escape(error.message)}</p>`;
    element.dataset.state = 'error';
  }
}

// By id: `form.elements.length` is the form's count of controls, not the input of that name.
function playlistQuery(form, format) {
  const value = (id) => form.querySelector(`#${id}`).value;
  const parameters = new URLSearchParams({
    seed: value('playlist-seed'),
    length: value('playlist-length'),
    variety: value('playlist-variety'),
    format,
  });
  return `/api/playlist?${parameters}`;
}

function playlistTable(playlist) {
  return table(['#', 'Song', 'Artists', 'Drama', '#Likeness to the seed', '#Closest earlier song'], playlist.tracks.map((track) => `<tr>
    <td class="num">${track.position}</td><td>${songLink(track.song_id, track.title)}${newBadge(track.cold_start)}</td>
    <td>${escape(track.artist)}</td><td>${escape(track.drama)}</td>
    <td class="num">${number(track.similarity)}</td><td class="num">${track.position === 1 ? '–' : number(track.closest_before)}</td></tr>`), 'id="playlist"');
}

async function showPlaylist(element, form) {
  element.dataset.state = 'loading';
  element.innerHTML = '<p class="muted">Building the playlist…</p>';
  const request = playlistQuery(form, 'json');
  element.dataset.request = request;
  try {
    const playlist = await api(request);
    if (!element.isConnected || element.dataset.request !== request) return;
    const seed = `${playlist.seed.kind} ${playlist.seed.id}`;
    const downloads = [['csv', 'CSV'], ['json', 'JSON'], ['m3u', 'M3U']].map(([format, label]) => {
      const name = `encore-playlist.${format}`;
      return `<a class="download" id="playlist-${format}" href="${escape(playlistQuery(form, format))}" download="${name}">${label}</a>`;
    }).join(' ');
    element.innerHTML = `<p class="muted">${playlist.tracks.length} songs from the ${escape(seed)}, variety ${number(playlist.variety)}. Download: ${downloads}</p>
      ${playlistTable(playlist)}`;
    element.dataset.state = 'ready';
  } catch (error) {
    if (element.dataset.request !== request) return;
    element.innerHTML = `<p class="error">${escape(error.message)}</p>`;
    element.dataset.state = 'error';
  }
}

const PLAYLIST_FORM = `<form id="playlist-form" class="playlist-form">
    <label>Seed <input name="seed" id="playlist-seed" required placeholder="a song, drama or artist, e.g. Business Proposal"></label>
    <label>Songs <input name="length" id="playlist-length" type="number" min="1" max="200" value="20"></label>
    <label>Variety <input name="variety" id="playlist-variety" type="range" min="0" max="1" step="0.05" value="0.3">
      <output id="playlist-variety-value">0.30</output></label>
    <button type="submit">Build the playlist</button>
  </form>
  <p class="legend-note">Variety 0: the songs most like the seed; towards 1, each next song is also unlike the songs before it.</p>`;

// Fills `view` with the page: the listener picker and its recommendations, and the playlist form.
export async function recommendView(view) {
  view.innerHTML = `<h1>Recommendations</h1>
    <p class="muted">OSTs for listeners who never watched the drama: songs of dramas a listener has played nothing of, learned from what listeners play together.</p>
    <section id="recommend-listeners"><p class="muted">Loading listeners…</p></section>
    <section id="recommend-results"></section>
    <h2>Playlist</h2>
    ${PLAYLIST_FORM}
    <section id="playlist-results"></section>`;
  const form = document.getElementById('playlist-form');
  const variety = document.getElementById('playlist-variety');
  variety.oninput = () => { document.getElementById('playlist-variety-value').textContent = number(variety.value); };
  const playlistResults = document.getElementById('playlist-results');
  form.onsubmit = (event) => {
    event.preventDefault();
    showPlaylist(playlistResults, form);
  };

  const picker = document.getElementById('recommend-listeners');
  const results = document.getElementById('recommend-results');
  const choices = await api(`/api/recommend/listeners?limit=${LISTENERS_LISTED}`);
  if (choices.total === 0) {
    picker.innerHTML = NO_LISTENS;
    results.dataset.state = 'empty';
    return;
  }
  const note = choices.generated ? `<p class="banner" id="recommend-generated">${GENERATED_NOTE}</p>` : '';
  const shown = choices.total > choices.listeners.length ? ` (the ${count(choices.listeners.length)} with the most plays of ${count(choices.total)})` : '';
  picker.innerHTML = `${note}<label class="pick">Listener${shown}
    <select id="recommend-listener">${choices.listeners.map((listener) => `<option value="${escape(listener.user)}">${escape(listener.user)} · ${count(listener.plays)} plays</option>`).join('')}</select></label>`;
  const select = document.getElementById('recommend-listener');
  select.onchange = () => showRecommendations(results, select.value);
  // Not awaited: the page is ready with its picker while the first listener's songs load.
  showRecommendations(results, select.value);
}
