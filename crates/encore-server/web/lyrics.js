// The lyrics page: what sets OST lyrics apart on Melon's year-end charts, the motif families'
// shares by year (OSTs against the other songs), and the essay's claim tested with its numbers.
import { axes, make, PALETTE } from './charts.js';
import { escape, number, table } from './format.js';

const points = (value) => { const rounded = Math.round(value * 100); return rounded === 0 ? '0' : `${rounded > 0 ? '+' : ''}${rounded}`; };
const share = (with_, of) => (of ? `${with_}/${of} (${Math.round((100 * with_) / of)}%)` : '–');
const compared = (value) => `${share(value.ost_with, value.ost_of)} vs ${share(value.other_with, value.other_of)}: <strong>${points(value.difference)}</strong> pts [${points(value.low)}, ${points(value.high)}]`;
const words = (list) => list.map((word) => `${escape(word.word)} <span class="muted">${number(word.z, 1)}</span>`).join(', ');

function motifChart(element, years, family) {
  const rows = years.map((year) => ({ year: year.year, motif: year.motifs.find((motif) => motif.family === family)?.share }));
  const [xAxis, yAxis] = axes('songs using it (%)');
  const value = (with_, of) => (of ? (100 * with_) / of : null);
  return make(element, {
    scales: { x: { time: false }, y: { range: [0, 100] } },
    axes: [{ ...xAxis, label: 'year-end chart' }, yAxis],
    series: [
      { label: 'year' },
      { label: 'OSTs', stroke: PALETTE[0], width: 2, points: { show: true, size: 5 }, spanGaps: true },
      { label: 'other songs', stroke: PALETTE[1], width: 2, points: { show: true, size: 4 } },
    ],
  }, [rows.map((row) => row.year), rows.map((row) => value(row.motif?.ost_with, row.motif?.ost_of)), rows.map((row) => value(row.motif?.other_with, row.motif?.other_of))]);
}

export async function lyricsView(view) {
  const response = await fetch('/api/lyrics');
  const lyrics = await response.json();
  if (!response.ok) throw new Error(lyrics.error || `${response.status}`);
  const claim = lyrics.claim;
  const families = lyrics.periods[0]?.motifs.map((motif) => motif.family) ?? [];
  view.innerHTML = `<h1>What OST lyrics say</h1>
    <p class="muted">Melon's year-end Top 100 lists (${lyrics.files} files, ${lyrics.rows} rows, ${lyrics.rows_without_lyrics} without lyrics${lyrics.rows_rejected ? `, ${lyrics.rows_rejected} rejected` : ''}); an OST is a song whose genre is 국내드라마. Each song counts once a period, each word once a song.</p>
    <h2>The essay's claim: seasons, distance and longing mark the OSTs that last</h2>
    <p id="lyrics-claim">${escape(claim.answer)}</p>
    ${table(['Family', `Lasting OSTs (${claim.lasting_osts.length}, ${claim.lasting_years}+ years) vs other songs`, 'vs OSTs of one year'], claim.against_other_songs.map((row, index) => `<tr>
      <td>${escape(row.family)}</td><td>${compared(row.share)}</td><td>${compared(claim.against_one_year_osts[index].share)}</td></tr>`), 'id="lyrics-claim-table"')}
    <p class="muted">Shares of songs using each family, difference in percentage points with Newcombe's 95 % interval. Lasting OSTs: ${escape(claim.lasting_osts.join(', '))}.</p>
    <h2>Motif families by year</h2>
    <p><label>Family <select id="motif-family">${families.map((family) => `<option>${escape(family)}</option>`).join('')}</select></label></p>
    <div class="chart" id="motif-chart"></div>
    <h2>Per period</h2>
    ${table(['Period', '#OST songs', '#Other songs', 'Words of OSTs (z)', 'Words of the rest (z)'], lyrics.periods.map((period) => `<tr>
      <td>${period.first_year}–${period.last_year}</td><td class="num">${period.ost_songs}</td><td class="num">${period.other_songs}</td>
      <td>${words(period.ost_words)}</td><td>${words(period.other_words)}</td></tr>`), 'id="lyrics-periods"')}
    <p class="muted">Weighted log-odds with an informative Dirichlet prior (Monroe, Colaresi &amp; Quinn 2008), α₀ = ${lyrics.prior_total}; z above 1.96 sets a word apart.</p>
    ${table(['Period', 'Family', 'OSTs vs the rest'], lyrics.periods.flatMap((period) => period.motifs.map((motif) => `<tr>
      <td>${period.first_year}–${period.last_year}</td><td>${escape(motif.family)}</td><td>${compared(motif.share)}</td></tr>`)), 'id="lyrics-motifs"')}`;
  const chartElement = document.getElementById('motif-chart');
  let chart = motifChart(chartElement, lyrics.years, families[0]);
  document.getElementById('motif-family').onchange = (event) => {
    chart.destroy();
    chart = motifChart(chartElement, lyrics.years, event.target.value);
  };
}
