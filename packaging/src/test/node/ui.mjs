// Issue 7's browser test: drives the real web UI of a running appliance in headless Chromium, as a
// creator and as an admin, and takes a screenshot at each step. Run by WebUiIT.java.
//
// Usage: node ui.mjs --base URL --creator USER:PASS --admin USER:PASS --video FILE --vtt FILE
//                    --shots DIR [--chromium PATH] [--timeout-ms N]
// Prints one JSON line (the last line of stdout) with what each step saw; the Java test asserts.
// Steps that fail record {error} and the script goes on where it can, so one report shows every
// problem. Console errors, page errors and CSP violations of every page are collected.
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const base = opt('--base');
const [creatorUser, creatorPass] = opt('--creator').split(':');
const [adminUser, adminPass] = opt('--admin').split(':');
const videoFile = opt('--video');
const vttFile = opt('--vtt');
const shots = opt('--shots');
const executablePath = opt('--chromium', process.env.CHROMIUM || '/usr/bin/chromium');
const timeout = Number(opt('--timeout-ms', 240000));
fs.mkdirSync(shots, { recursive: true });

const out = { steps: {}, console: [], csp: [], shots: [] };
const t0 = Date.now();

const browser = await chromium.launch({
  executablePath,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
         '--disable-component-update', '--disable-sync', '--autoplay-policy=no-user-gesture-required'],
});

async function newPage(locale) {
  const context = await browser.newContext({ locale, viewport: { width: 1280, height: 900 } });
  // Every CSP violation on every page, reported by the page itself.
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window.__csp = window.__csp || []).push(`${e.violatedDirective} ${e.blockedURI}`);
      console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI);
    });
  });
  const page = await context.newPage();
  page.setDefaultTimeout(30000);
  page.on('console', (m) => {
    if (m.type() === 'error') {
      const text = m.text();
      out.console.push({ url: page.url(), text });
      if (text.startsWith('CSP violation')) out.csp.push(text);
    }
  });
  page.on('pageerror', (e) => out.console.push({ url: page.url(), text: 'pageerror: ' + e.message }));
  return { context, page };
}

async function shot(page, name) {
  const file = path.join(shots, name + '.png');
  await page.screenshot({ path: file, fullPage: true });
  out.shots.push(file);
}

async function step(name, fn) {
  const started = Date.now();
  try {
    out.steps[name] = { ok: true, ...(await fn()), ms: Date.now() - started };
  } catch (e) {
    out.steps[name] = { ok: false, error: String(e && e.stack ? e.stack : e), ms: Date.now() - started };
  }
}

async function login(page, user, pass, target) {
  await page.goto(base + target);
  const redirected = new URL(page.url());
  await page.fill('#username', user);
  await page.fill('#password', pass);
  await Promise.all([
    page.waitForURL((u) => u.pathname === target.split('?')[0]),
    page.click('#login-submit'),
  ]);
  return { redirectedTo: redirected.pathname + redirected.search };
}

let videoId = null;
const creator = await newPage('en-US');

await step('login', async () => {
  const r = await login(creator.page, creatorUser, creatorPass, '/studio/upload');
  await shot(creator.page, '01-upload-page');
  return r;
});

await step('upload', async () => {
  const page = creator.page;
  // Loopback would finish a few MB before the page could draw a frame: throttle uploads to about
  // 1 MB/s, as a creator's uplink would, so the bar has to move.
  const cdp = await creator.context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false, latency: 20, downloadThroughput: -1, uploadThroughput: 1024 * 1024,
  });
  await page.setInputFiles('#file', videoFile);
  await page.selectOption('#profile', 'fast');
  await page.fill('#title', 'Browser upload');
  await page.click('#upload-start');
  await page.waitForSelector('#upload-panel[data-video-id]:not([data-video-id=""])');
  videoId = await page.getAttribute('#upload-panel', 'data-video-id');
  // The bar moves: every distinct percentage the page shows, until done.
  const seen = new Set();
  const deadline = Date.now() + 120000;
  let midShot = false;
  while (Date.now() < deadline) {
    const p = Number(await page.getAttribute('#upload-percent', 'data-percent'));
    seen.add(p);
    if (!midShot && p > 0 && p < 100) {
      await shot(page, '02-uploading');
      midShot = true;
    }
    if ((await page.getAttribute('#upload-status', 'data-state')) === 'done') break;
    await page.waitForTimeout(50);
  }
  // The last reading: 'done' may have come between the loop's percent read and its state read.
  seen.add(Number(await page.getAttribute('#upload-percent', 'data-percent')));
  const state = await page.getAttribute('#upload-status', 'data-state');
  const bar = await page.$eval('#upload-progress', (e) => e.value);
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1,
  });
  await shot(page, '03-uploaded');
  return { videoId, state, percents: [...seen].sort((a, b) => a - b), bar };
});

await step('ready', async () => {
  const page = creator.page;
  await page.goto(base + '/studio/videos/' + videoId);
  // Stage by stage over SSE: record each stage row's status as it changes, until READY.
  const statuses = new Set();
  const percents = new Set();
  const deadline = Date.now() + timeout;
  let state = null;
  while (Date.now() < deadline) {
    state = await page.getAttribute('#video-state', 'data-state');
    for (const s of await page.$$eval('#stages tr[data-stage]', (rows) => rows.map((r) => r.dataset.stage + ':' + r.dataset.status))) statuses.add(s);
    const p = await page.getAttribute('#processing-percent', 'data-percent').catch(() => null);
    if (p != null) percents.add(Number(p));
    if (state === 'READY' || state === 'FAILED') break;
    await page.waitForTimeout(100);
  }
  await shot(page, '04-ready');
  return { state, stageStatuses: [...statuses], processingPercents: [...percents].sort((a, b) => a - b) };
});

await step('subtitles', async () => {
  const page = creator.page;
  await page.selectOption('#subtitle-lang', 'en');
  await page.fill('#subtitle-name', 'English');
  await page.setInputFiles('#subtitle-file', vttFile);
  await page.click('#subtitle-add');
  await page.waitForSelector('#subtitle-list li[data-language="en"]');
  return { languages: await page.$$eval('#subtitle-list li[data-language]', (l) => l.map((x) => x.dataset.language)) };
});

await step('watch', async () => {
  const page = creator.page;
  await page.goto(base + '/watch/' + videoId);
  // The viewer presses play (keyboard-operable button; the page does not autoplay).
  await page.waitForSelector('#player-status[data-state="ready"]', { timeout: 60000 });
  await page.focus('#play-toggle');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#player-status[data-state="playing"]', { timeout: 60000 });
  const qualities = await page.$$eval('#quality option', (o) => o.map((x) => ({ value: x.value, label: x.textContent })));
  const switched = [];
  for (const q of qualities.filter((q) => q.value !== 'auto')) {
    await page.selectOption('#quality', q.value);
    await page.waitForFunction(
      (v) => document.getElementById('quality-current').dataset.level === v, q.value, { timeout: 30000 });
    switched.push({ value: q.value, current: await page.textContent('#quality-current') });
  }
  await page.selectOption('#quality', 'auto');
  const subtitleOptions = await page.$$eval('#subtitles option', (o) => o.map((x) => ({ value: x.value, label: x.textContent })));
  const track = subtitleOptions.find((o) => o.value !== 'off');
  let showing = null;
  if (track) {
    await page.selectOption('#subtitles', track.value);
    await page.waitForFunction(
      () => Array.from(document.getElementById('player').textTracks).some((t) => t.mode === 'showing'), null, { timeout: 20000 });
    showing = await page.$eval('#player', (v) => Array.from(v.textTracks).filter((t) => t.mode === 'showing').map((t) => t.language || t.label));
  }
  const beacon = await page.getAttribute('#player', 'data-beacon');
  await shot(page, '05-watch');
  return { qualities, switched, subtitleOptions, showing, beacon };
});

await step('home', async () => {
  const page = creator.page;
  await page.goto(base + '/');
  await page.waitForSelector('#latest[data-state="ready"]');
  const latest = await page.$$eval('#latest a.video-card[data-video-id]', (a) => a.map((x) => x.dataset.videoId));
  await shot(page, '06-home');
  return { latest };
});

await step('korean', async () => {
  const page = creator.page;
  await page.selectOption('#lang-switch', 'ko');
  await page.waitForLoadState('load');
  await page.waitForFunction(() => document.documentElement.lang === 'ko');
  const nav = await page.$$eval('.mainnav a', (a) => a.filter((x) => !x.hidden).map((x) => x.textContent.trim()));
  const cookie = (await creator.context.cookies()).find((c) => c.name === 'reelbox_lang');
  // The choice persists: a new page load is still Korean.
  await page.goto(base + '/studio');
  const lang = await page.evaluate(() => document.documentElement.lang);
  await page.waitForSelector('#my-videos[data-state="ready"]').catch(() => {});
  await shot(page, '07-korean');
  return { nav, cookie: cookie ? cookie.value : null, langAfterReload: lang, heading: await page.textContent('h1') };
});

const admin = await newPage('en-US');

await step('adminJob', async () => {
  const page = admin.page;
  await login(page, adminUser, adminPass, '/admin/jobs/' + videoId);
  await page.waitForSelector('#dag g[data-node]');
  const nodes = await page.$$eval('#dag g[data-node]', (g) => g.map((x) => ({ node: x.dataset.node, state: x.dataset.state })));
  const tasks = await page.$$eval('#tasks-table tbody tr', (r) => r.length);
  await shot(page, '08-job-dag');
  return { nodes, tasks };
});

await step('adminDashboard', async () => {
  const page = admin.page;
  await page.goto(base + '/admin');
  await page.waitForSelector('#edge-table [data-edge-id]');
  const edges = await page.$$eval('#edge-table [data-edge-id]', (r) => r.map((x) => ({ id: x.dataset.edgeId, text: x.textContent })));
  const hitRatio = await page.textContent('#stat-hit-ratio');
  const saving = await page.textContent('#stat-saving');
  await shot(page, '09-dashboard');
  await page.goto(base + '/admin/edges');
  await page.waitForSelector('[data-edge-id]').catch(() => {});
  await shot(page, '10-edges');
  return { edges, hitRatio, saving };
});

await browser.close();
out.ms = Date.now() - t0;
out.ok = true;
console.log(JSON.stringify(out));
