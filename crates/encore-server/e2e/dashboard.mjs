// End-to-end test of the dashboard in a real browser: Debian's Chromium driven by playwright-core.
// Usage: node dashboard.mjs <base-url> <screenshot.png>. Exits 0 when every check passes.
import { chromium } from 'playwright-core';

const [baseUrl, screenshotPath] = process.argv.slice(2);
if (!baseUrl || !screenshotPath) {
  console.error('usage: node dashboard.mjs <base-url> <screenshot.png>');
  process.exit(2);
}

const check = (condition, message) => {
  if (!condition) throw new Error(`check failed: ${message}`);
  console.log(`ok: ${message}`);
};

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => { if (message.type() === 'error') problems.push(`console error: ${message.text()}`); });
  // Only this server: the dashboard must work without the network.
  await page.route('**/*', (route) => (route.request().url().startsWith(baseUrl) ? route.continue() : route.abort()));

  await page.goto(baseUrl, { waitUntil: 'networkidle', timeout: 30000 });
  await page.waitForSelector('body[data-ready="leaderboard"] #leaderboard tbody tr', { timeout: 30000 });
  const rows = await page.locator('#leaderboard tbody tr').count();
  check(rows > 5, `the leaderboard shows ${rows} songs`);

  const firstSong = page.locator('#leaderboard tbody tr').first().locator('a[href^="#/song/"]');
  const songTitle = (await firstSong.textContent()).trim();
  await firstSong.click();
  await page.waitForSelector('body[data-ready="song"] #peaks', { timeout: 30000 });
  const heading = await page.locator('h1').textContent();
  check(heading.includes(songTitle), `the song page of "${songTitle}" opened (heading "${heading}")`);
  check(await page.locator('#peaks tbody tr').count() > 0, 'the song page shows its peaks table');
  check(await page.locator('#attention-chart canvas').count() > 0, 'the song page draws the attention timeline (canvas)');
  check(await page.locator('#rank-chart canvas').count() > 0, 'the song page draws the chart positions (canvas)');
  await page.waitForSelector('#listeners[data-state="ready"]', { timeout: 120000 });
  // The first song need not be one the generated log plays: then the section says so.
  const songListeners = await page.locator('#listeners .listener-body').textContent();
  check(songListeners.includes('listens in the store'), 'the song page has its listener section');
  check(await page.locator('#song-checklist tbody tr').count() === 10, 'the song page lists the ten checklist items');
  await page.goto(`${baseUrl}#/song/stay_with_me`);
  await page.waitForSelector('body[data-ready="song"] #collected-chart canvas', { timeout: 30000 });
  const collectedLegend = await page.locator('#collected').textContent();
  check(collectedLegend.includes('Wikipedia pageviews') && collectedLegend.includes('YouTube views a day'), 'the song page draws its collected series beside its charts');
  await page.click('#zoom-drama');
  await page.screenshot({ path: screenshotPath, fullPage: true });
  console.log(`screenshot: ${screenshotPath}`);

  await page.click('nav a[href="#/regions"]');
  await page.waitForSelector('body[data-ready="regions"] #regions tbody tr', { timeout: 30000 });
  check(await page.locator('#regions tbody tr').count() > 0, 'the region view lists charts and regions');

  await page.click('nav a[href="#/checklist"]');
  await page.waitForSelector('body[data-ready="checklist"] #checklist-outcomes tbody tr', { timeout: 30000 });
  check(await page.locator('#checklist-outcomes tbody tr').count() === 20, 'the checklist page has an outcome row per item and outcome');
  check(await page.locator('#checklist-songs .status.evidenced').count() > 0, 'the checklist page marks evidenced items');
  check(await page.locator('#checklist-songs .status.no_data').count() > 0, 'the checklist page marks items without data');

  await page.click('nav a[href="#/lyrics"]');
  await page.waitForSelector('body[data-ready="lyrics"] #lyrics-periods tbody tr', { timeout: 30000 });
  const claim = await page.locator('#lyrics-claim').textContent();
  check(claim.includes('supported') && claim.includes('points'), `the lyrics page answers the claim ("${claim.slice(0, 80)}")`);
  check(await page.locator('#motif-chart canvas').count() > 0, 'the lyrics page draws the motif shares by year (canvas)');
  await page.selectOption('#motif-family', 'destiny');
  check(await page.locator('#motif-chart canvas').count() > 0, 'the motif chart redraws for another family');

  await page.goto(`${baseUrl}#/drama/goblin`);
  await page.waitForSelector('body[data-ready="drama"] #campaign tbody tr', { timeout: 30000 });
  await page.waitForFunction(() => document.getElementById('campaign-figure')?.naturalWidth > 0, null, { timeout: 30000 });
  check(await page.locator('#campaign tbody tr').count() >= 4, "Goblin's campaign lists its OST parts");

  await page.click('nav a[href="#/marketing"]');
  await page.waitForSelector('body[data-ready="marketing"] #marketing tbody tr', { timeout: 30000 });
  check(await page.locator('#marketing tbody tr').count() > 0, 'the marketing view lists the marketing table');

  // A drama whose listens the server's store holds (generated): the listener section and its charts.
  await page.click('nav a[href="#/dramas"]');
  await page.waitForSelector('body[data-ready="dramas"] a[href="#/drama/business_proposal"]', { timeout: 30000 });
  await page.click('a[href="#/drama/business_proposal"]');
  await page.waitForSelector('body[data-ready="drama"] #listeners[data-state="ready"]', { timeout: 120000 });
  const banner = await page.locator('#generated-banner').textContent();
  check(banner.includes('Generated listening logs') && banner.includes('not real listeners'), `the generated banner shows ("${banner}")`);
  const cells = page.locator('#listener-heatmap td.cell');
  check(await cells.count() === 7 * 24, 'the heatmap has a cell per weekday and hour');
  const colours = await cells.evaluateAll((elements) => new Set(elements.map((element) => getComputedStyle(element).backgroundColor)).size);
  check(colours > 10, `the heatmap's cells are coloured by their index (${colours} colours)`);
  check(await page.locator('.heat-legend .heat-scale').count() === 1, 'the heatmap has its legend');
  check(await page.locator('#airing-chart canvas').count() > 0, 'the airing curve is drawn (canvas)');
  check(await page.locator('#airing-chart').textContent().then((text) => text.includes('lift')), 'the airing curve names its lift series');
  check(await page.locator('#retention-chart canvas').count() > 0, 'the retention curves are drawn (canvas)');
  const split = await page.locator('#gateway-split').textContent();
  check(split.includes('after the finale') && split.includes('Gateway share'), 'the gateway split is given in numbers');
  check(await page.locator('#listener-countries tbody tr').count() > 0, 'the countries are listed');
  check(await page.locator('#listener-plays tbody tr').count() >= 5, 'sessions, replays and completion are listed');
  const listenersShot = screenshotPath.replace(/\.png$/, '') + '-listeners.png';
  await page.locator('#listeners').screenshot({ path: listenersShot });
  console.log(`screenshot: ${listenersShot}`);

  // All music: the same section without airings or cohorts.
  await page.click('nav a[href="#/listeners"]');
  await page.waitForSelector('body[data-ready="listeners"] #listeners[data-state="ready"]', { timeout: 120000 });
  check(await page.locator('#listener-heatmap td.cell').count() === 7 * 24, 'all music has its heatmap');
  check(await page.locator('#airing-chart').count() === 0, 'all music has no airing curve');

  // Recommendations: pick a listener, see their songs each explained, then build a playlist.
  await page.click('nav a[href="#/recommend"]');
  await page.waitForSelector('body[data-ready="recommend"] #recommend-listener option', { state: 'attached', timeout: 120000 });
  const generatedNote = await page.locator('#recommend-generated').textContent();
  check(generatedNote.includes('Generated listeners'), `the generated listeners are labelled ("${generatedNote}")`);
  const listeners = await page.locator('#recommend-listener option').evaluateAll((options) => options.map((option) => option.value));
  check(listeners.length > 10, `the listener picker offers ${listeners.length} listeners`);
  // A listener who has played an OST of every drama the model knows has nothing left: try the next.
  let picked = null;
  for (const listener of listeners.slice(1, 11)) {
    await page.selectOption('#recommend-listener', listener);
    const request = `/api/recommend?user=${encodeURIComponent(listener)}&top=10`;
    await page.waitForFunction((wanted) => {
      const results = document.getElementById('recommend-results');
      return results.dataset.request === wanted && ['ready', 'empty', 'error'].includes(results.dataset.state);
    }, request, { timeout: 120000 });
    const state = await page.locator('#recommend-results').getAttribute('data-state');
    check(state !== 'error', `the recommendations of ${listener} load (${state})`);
    if (state === 'ready') { picked = listener; break; }
  }
  check(picked !== null, `a listener with recommendations was found (${picked})`);
  const recommended = await page.locator('#recommendations tbody tr').count();
  check(recommended > 0, `${picked} gets ${recommended} recommendations`);
  const explanation = (await page.locator('#recommendations tbody tr').first().locator('.explanation').textContent()).trim();
  check(explanation.length > 10, `the first recommendation is explained ("${explanation}")`);
  const drama = await page.locator('#recommendations tbody tr').first().locator('a[href^="#/drama/"]').count();
  check(drama === 1, 'the first recommendation names its drama');
  check((await page.locator('#recommend-model').textContent()).includes('ALS'), 'the model is described');

  await page.fill('#playlist-seed', 'Business Proposal');
  await page.fill('#playlist-length', '8');
  await page.locator('#playlist-variety').evaluate((slider) => { slider.value = '0.5'; slider.dispatchEvent(new Event('input')); });
  check((await page.locator('#playlist-variety-value').textContent()) === '0.50', 'the variety slider shows its value');
  await page.click('#playlist-form button[type="submit"]');
  await page.waitForFunction(() => ['ready', 'error'].includes(document.getElementById('playlist-results').dataset.state), null, { timeout: 120000 });
  const playlistState = await page.locator('#playlist-results').getAttribute('data-state');
  check(playlistState === 'ready', `the playlist is built (${playlistState}: ${(await page.locator('#playlist-results').textContent()).slice(0, 200)})`);
  check(await page.locator('#playlist tbody tr').count() === 8, 'the playlist has the 8 songs asked for');
  for (const [format, type] of [['csv', 'text/csv'], ['json', 'application/json'], ['m3u', 'audio/x-mpegurl']]) {
    const link = page.locator(`#playlist-${format}`);
    const href = await link.getAttribute('href');
    check(href.includes(`format=${format}`) && href.includes('variety=0.5') && href.includes('length=8'), `the ${format} download asks for this playlist (${href})`);
    check(await link.getAttribute('download') !== null, `the ${format} link is a download`);
    const response = await page.request.get(new URL(href, baseUrl).href);
    check(response.ok() && response.headers()['content-type'].startsWith(type), `the ${format} download is ${type}`);
  }
  const recommendShot = screenshotPath.replace(/\.png$/, '') + '-recommend.png';
  await page.screenshot({ path: recommendShot, fullPage: true });
  console.log(`screenshot: ${recommendShot}`);

  // Analyse a series of one's own: a pasted CSV with a jump, then an intervention on a panel.
  await page.click('nav a[href="#/analyze"]');
  await page.waitForSelector('body[data-ready="analyze"] #analyze-form');
  const days = Array.from({ length: 90 }, (_, index) => new Date(Date.UTC(2024, 0, 1 + index)).toISOString().slice(0, 10));
  const jump = days.map((date, index) => `${date},${(index < 45 ? 100 : 300) + (index % 5)}`).join('\n');
  await page.fill('#analyze-text', `date,streams\n${jump}\n`);
  await page.click('#analyze-form button[type="submit"]');
  await page.waitForFunction(() => ['ready', 'error'].includes(document.getElementById('analyze-results').dataset.state), null, { timeout: 60000 });
  const detectText = await page.locator('#analyze-results').textContent();
  check(await page.locator('#analyze-results').getAttribute('data-state') === 'ready', `the pasted series is analysed (${detectText.slice(0, 200)})`);
  check(detectText.includes('2024-02-15'), 'the jump on 2024-02-15 is a segment boundary');
  const plotWidth = await page.locator('#analyze-plot').evaluate((image) => image.naturalWidth);
  check(plotWidth > 0, `the plot is drawn (${plotWidth} px wide)`);
  const panel = days.flatMap((date, index) => [
    `${date},treated,${Math.round((index < 60 ? 200 : 300) * (1 + 0.02 * Math.sin(index)))}`,
    `${date},peer,${Math.round(150 * (1 + 0.02 * Math.cos(index)))}`,
  ]).join('\n');
  await page.selectOption('#analyze-kind', 'effect');
  check(await page.locator('#analyze-at').isVisible(), 'the effect asks for its intervention');
  await page.fill('#analyze-text', `date,song,streams\n${panel}\n`);
  await page.fill('#analyze-treated', 'treated');
  await page.fill('#analyze-at', days[60]);
  await page.click('#analyze-form button[type="submit"]');
  await page.waitForFunction(() => ['ready', 'error'].includes(document.getElementById('analyze-results').dataset.state), null, { timeout: 60000 });
  const effectRow = await page.locator('#analyze-effects tbody tr').first().textContent();
  check(effectRow.includes('+5') || effectRow.includes('+4'), `the lift of about +50 % is measured (${effectRow})`);
  const analyzeShot = screenshotPath.replace(/\.png$/, '') + '-analyze.png';
  await page.screenshot({ path: analyzeShot, fullPage: true });
  console.log(`screenshot: ${analyzeShot}`);
  // A picked file in EUC-KR (as Korean exports often are) is read as Korean text, not mojibake.
  const eucKrHeader = Buffer.from([0xb3, 0xaf, 0xc2, 0xa5, 0x2c, 0xb0, 0xaa, 0x0a]); // 날짜,값
  await page.setInputFiles('#analyze-file', { name: 'streams-euc-kr.csv', mimeType: 'text/csv', buffer: Buffer.concat([eucKrHeader, Buffer.from('2024-01-01,3\n')]) });
  await page.waitForFunction(() => document.getElementById('analyze-text').value.includes('2024-01-01,3'), null, { timeout: 10000 });
  const pickedText = await page.locator('#analyze-text').inputValue();
  check(pickedText.startsWith('날짜,값'), `an EUC-KR file is decoded as Korean ("${pickedText.slice(0, 12)}")`);
  // The refusal below is a 400 the browser logs as a failed resource: expected, so not a script error.
  const problemsBefore = problems.length;
  await page.fill('#analyze-text', 'date,streams\n2024-01-01,3\n2024-01-02,many\n');
  await page.click('#analyze-form button[type="submit"]');
  await page.waitForFunction(() => ['ready', 'error'].includes(document.getElementById('analyze-results').dataset.state), null, { timeout: 60000 });
  const errorText = await page.locator('#analyze-results').textContent();
  check(errorText.includes('line 3'), `a bad value is named by its line (${errorText})`);
  const refusals = problems.splice(problemsBefore).filter((problem) => !problem.includes('status of 400'));
  problems.push(...refusals);

  check(problems.length === 0, `no script errors${problems.length ? `: ${problems.join('; ')}` : ''}`);
} finally {
  await browser.close();
}
