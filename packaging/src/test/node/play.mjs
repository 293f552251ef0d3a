// Plays an HLS master playlist with the unmodified hls.js in headless Chromium, as a viewer's browser
// would: a page served from loopback (its own origin, so every playlist and segment request is
// cross-origin, as on a real site) loads hls.js, plays the video to its end, and forces a switch
// to every rendition on the way, recording what hls.js saw.
//
// Usage: node play.mjs MASTER_URL [--timeout-ms N] [--chromium PATH]
// Prints one JSON line (the last line of stdout):
//   {"ok":true, "levels":[{height,width,bitrate,url}], "switches":[{level,switched,fragments}],
//    "fragments":{"<level>":[sn,...]}, "errors":[{type,details,fatal}], "fatal":null,
//    "ended":true, "currentTime":..., "duration":..., "played":[[start,end],...],
//    "frames":{"total":..,"dropped":..},
//    "requests":[{"url":..,"status":..}], "h264":true, "ms":...}
// or {"ok":false,"error":"..."} when the browser or the page could not be driven at all. What
// playback achieved is for the caller (the Java test) to judge: the script reports, it does not
// assert.
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const [master, ...rest] = process.argv.slice(2);
if (!master) {
  console.error('usage: node play.mjs MASTER_URL [--timeout-ms N] [--chromium PATH]');
  process.exit(2);
}
const opt = (name, dflt) => {
  const i = rest.indexOf(name);
  return i >= 0 ? rest[i + 1] : dflt;
};
const timeoutMs = Number(opt('--timeout-ms', 90000));
const executablePath = opt('--chromium', process.env.CHROMIUM || '/usr/bin/chromium');

// hls.js as npm ships it, not a copy: the version in package-lock.json is the one tested.
const require = createRequire(import.meta.url);
const hlsJs = fs.readFileSync(require.resolve('hls.js/dist/hls.min.js'));

// The page: a <video> and runPlayback(), which the script calls with page.evaluate.
const PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>reelbox playback test</title>
<script src="/hls.min.js"></script></head>
<body><video id="v" muted playsinline width="640" height="360"></video>
<script>
window.runPlayback = (src, budgetMs) => new Promise((resolve) => {
  const t0 = performance.now();
  const video = document.getElementById('v');
  const out = { levels: [], switches: [], fragments: {}, switched: [], errors: [], fatal: null,
                ended: false, h264: MediaSource.isTypeSupported('video/mp4; codecs="avc1.4d401e,mp4a.40.2"') };
  if (!Hls.isSupported()) { out.fatal = { details: 'hls.js reports no MSE support' }; resolve(out); return; }
  // startLevel 0: begin on the lowest rendition; ABR stays on but every switch below is forced.
  // A short buffer (about one 4 s segment ahead) as on a real network, where the player never
  // holds the whole video: on loopback hls.js would otherwise fetch everything at once, and a
  // late switch would find no fragment left to load.
  const hls = new Hls({ startLevel: 0, capLevelToPlayerSize: false, enableWorker: true,
                        maxBufferLength: 4, maxMaxBufferLength: 8 });
  let finished = false;
  const finish = () => {
    if (finished) return;
    finished = true;
    out.ended = video.ended;
    out.currentTime = video.currentTime;
    out.duration = video.duration;
    out.played = [];
    for (let i = 0; i < video.played.length; i++) out.played.push([video.played.start(i), video.played.end(i)]);
    const q = video.getVideoPlaybackQuality ? video.getVideoPlaybackQuality() : null;
    out.frames = q ? { total: q.totalVideoFrames, dropped: q.droppedVideoFrames } : null;
    out.ms = Math.round(performance.now() - t0);
    hls.destroy();
    resolve(out);
  };
  setTimeout(() => { out.timedOut = true; finish(); }, budgetMs);
  hls.on(Hls.Events.ERROR, (e, d) => {
    out.errors.push({ type: d.type, details: d.details, fatal: !!d.fatal,
                      url: d.frag ? d.frag.url : (d.url || (d.context && d.context.url) || null) });
    if (d.fatal) { out.fatal = out.errors[out.errors.length - 1]; finish(); }
  });
  hls.on(Hls.Events.LEVEL_SWITCHED, (e, d) => out.switched.push(d.level));
  hls.on(Hls.Events.FRAG_LOADED, (e, d) => {
    if (d.frag.type !== 'main') return;
    (out.fragments[d.frag.level] = out.fragments[d.frag.level] || []).push(d.frag.sn);
  });
  video.addEventListener('ended', finish);
  hls.on(Hls.Events.MANIFEST_PARSED, async () => {
    out.levels = hls.levels.map((l) => ({ height: l.height, width: l.width, bitrate: l.bitrate, url: l.url[0] }));
    try { await video.play(); } catch (err) { out.errors.push({ type: 'play', details: String(err), fatal: true }); finish(); return; }
    // Force every rendition in turn; playback began on the lowest, so: 1, 2, …, n-1, then 0.
    // nextLevel is the switch ABR makes: the buffer ahead of the playing fragment is dropped and
    // refilled from the forced level, without the stall of currentLevel's full flush. Each switch
    // waits for hls.js to report it and for a fragment of that level.
    const order = [...out.levels.keys()].slice(1).concat([0]);
    for (const level of order) {
      if (finished) return;
      const switchedBefore = out.switched.length;
      const fragsBefore = (out.fragments[level] || []).length;
      hls.nextLevel = level;
      const ok = await waitFor(() => out.switched.slice(switchedBefore).includes(level)
                                     && (out.fragments[level] || []).length > fragsBefore, 20000);
      out.switches.push({ level, switched: out.switched.slice(switchedBefore).includes(level),
                          fragments: (out.fragments[level] || []).length - fragsBefore, ok });
      if (!ok) break;
    }
    // Back to automatic selection for the rest of the video.
    if (!finished) hls.currentLevel = -1;
  });
  hls.loadSource(src);
  hls.attachMedia(video);
});

function waitFor(predicate, ms) {
  return new Promise((resolve) => {
    const start = performance.now();
    const tick = () => {
      if (predicate()) resolve(true);
      else if (performance.now() - start > ms) resolve(false);
      else setTimeout(tick, 50);
    };
    tick();
  });
}
</script></body></html>`;

function serve() {
  const server = http.createServer((req, res) => {
    if (req.url === '/' || req.url === '/index.html') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(PAGE);
    } else if (req.url === '/hls.min.js') {
      res.writeHead(200, { 'Content-Type': 'text/javascript' });
      res.end(hlsJs);
    } else if (req.url === '/favicon.ico') {
      res.writeHead(204);
      res.end();
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const started = Date.now();
let server;
let context;
const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'reelbox-chromium-'));
try {
  server = await serve();
  const pageUrl = `http://127.0.0.1:${server.address().port}/`;
  // A fresh profile each run; no network beyond loopback, no background fetches, no QUIC.
  context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--autoplay-policy=no-user-gesture-required',
    ],
  });
  const page = context.pages()[0] || (await context.newPage());
  const requests = [];
  page.on('requestfinished', async (request) => {
    const response = await request.response();
    requests.push({ url: request.url(), status: response ? response.status() : 0 });
  });
  page.on('requestfailed', (request) => {
    requests.push({ url: request.url(), status: 0, failure: request.failure()?.errorText || '' });
  });
  const console_ = [];
  page.on('console', (m) => console_.length < 50 && console_.push(`${m.type()}: ${m.text()}`));
  await page.goto(pageUrl, { waitUntil: 'load', timeout: 30000 });
  const result = await page.evaluate(([src, budget]) => window.runPlayback(src, budget), [master, timeoutMs]);
  // The page never sees its own requests' statuses; the browser does. Network requests only (not
  // the page's own, nor hls.js's worker, a blob: URL).
  result.requests = requests.filter((r) => /^https?:/.test(r.url) && !r.url.startsWith(pageUrl));
  result.console = console_;
  result.ok = true;
  result.wallMs = Date.now() - started;
  console.log(JSON.stringify(result));
} catch (err) {
  console.log(JSON.stringify({ ok: false, error: String(err && err.stack ? err.stack : err) }));
  process.exitCode = 1;
} finally {
  if (context) await context.close().catch(() => {});
  if (server) server.close();
  fs.rmSync(profile, { recursive: true, force: true });
}
