// Page module for /watch/{id} (docs/web-ui.md): plays the video with hls.js (the native player
// where the browser plays HLS itself and has no MediaSource, i.e. Safari on iOS), with our own
// keyboard-operable controls, a quality menu (Auto + each rendition, showing the one playing) and a
// subtitle menu, and sends one view beacon when playback first starts.
//
// Hooks for the browser tests (stable): #player (the <video>, data-beacon none|sent|failed),
// #player-status[data-state] loading|ready|playing|paused|buffering|ended|error|notready,
// #quality (values "auto" and level indexes), #quality-current (e.g. "480p", data-level = index),
// #subtitles (values "off" and track indexes), #play-toggle, #seek, #mute-toggle, #volume,
// #fullscreen-toggle.
import { t, fmt, api, ApiError, pathId } from './app.js';

const id = pathId('/watch/');
const box = document.getElementById('player-box');
const video = document.getElementById('player');
const statusLine = document.getElementById('player-status');
const playButton = document.getElementById('play-toggle');
const seek = document.getElementById('seek');
const timeText = document.getElementById('time');
const muteButton = document.getElementById('mute-toggle');
const volume = document.getElementById('volume');
const quality = document.getElementById('quality');
const qualityCurrent = document.getElementById('quality-current');
const subtitles = document.getElementById('subtitles');
const fullscreenButton = document.getElementById('fullscreen-toggle');

let hls = null;
let beaconSent = false;
let seeking = false;

// ---- status

const STATUS_TEXT = {
  loading: 'common.loading',
  ready: 'watch.status.ready',
  playing: 'watch.status.playing',
  paused: 'watch.status.paused',
  buffering: 'watch.status.buffering',
  ended: 'watch.status.ended',
};

function setStatus(state, text) {
  statusLine.dataset.state = state;
  box.dataset.state = state;
  statusLine.textContent = text !== undefined ? text : STATUS_TEXT[state] ? t(STATUS_TEXT[state]) : '';
}

function fail(text) {
  setStatus('error', text);
  playButton.disabled = true;
}

// ---- metadata

async function loadMetadata() {
  try {
    const v = await api('GET', '/api/v1/videos/' + encodeURIComponent(id));
    document.getElementById('video-title').textContent = v.title;
    document.title = v.title + ' · reelbox';
    const meta = [v.ownerName, fmt.date(v.createdAt)];
    if (v.durationMs != null) meta.push(fmt.duration(v.durationMs));
    document.getElementById('video-meta').textContent = meta.filter(Boolean).join(' · ');
    document.getElementById('video-description').textContent = v.description || '';
  } catch (e) {
    // The play answer decides what the viewer is told; a missing title alone is not an error.
  }
}

// ---- playback

async function start() {
  let play;
  try {
    play = await api('GET', '/api/v1/videos/' + encodeURIComponent(id) + '/play');
  } catch (e) {
    if (e instanceof ApiError && e.code === 'NOT_READY') {
      setStatus('notready', t('watch.error.notReady'));
    } else if (e instanceof ApiError && e.status === 404) {
      fail(t('watch.error.notFound'));
    } else {
      fail(t('common.error.generic', { message: e.message }));
    }
    return;
  }
  if (play.posterUrl) video.poster = play.posterUrl;
  const nativeHls = video.canPlayType('application/vnd.apple.mpegurl') !== '';
  if (window.Hls && window.Hls.isSupported()) {
    startHlsJs(play.url);
  } else if (nativeHls) {
    startNative(play.url);
  } else {
    fail(t('watch.error.unsupported'));
  }
}

function startHlsJs(url) {
  const Hls = window.Hls;
  hls = new Hls({ enableWorker: true, renderTextTracksNatively: true });
  let networkRetries = 0;
  let mediaRecoveries = 0;
  hls.on(Hls.Events.MANIFEST_PARSED, (event, data) => {
    fillQualityMenu(data.levels);
    fillSubtitleMenuFromHls();
    ready();
  });
  hls.on(Hls.Events.LEVEL_SWITCHED, (event, data) => showCurrentLevel(data.level));
  hls.on(Hls.Events.SUBTITLE_TRACKS_UPDATED, fillSubtitleMenuFromHls);
  hls.on(Hls.Events.SUBTITLE_TRACK_SWITCH, (event, data) => {
    subtitles.value = data.id >= 0 ? String(data.id) : 'off';
  });
  hls.on(Hls.Events.FRAG_LOADED, () => {
    networkRetries = 0;
  });
  hls.on(Hls.Events.ERROR, (event, data) => {
    if (!data.fatal) return;
    // hls.js's own recipe: a fatal network error may be a blip (retry loading), a fatal media
    // error may be recoverable once or twice (recoverMediaError); anything else ends playback.
    if (data.type === Hls.ErrorTypes.NETWORK_ERROR && networkRetries < 3) {
      networkRetries++;
      setStatus('buffering');
      hls.startLoad();
    } else if (data.type === Hls.ErrorTypes.MEDIA_ERROR && mediaRecoveries < 2) {
      mediaRecoveries++;
      hls.recoverMediaError();
    } else {
      fail(t('watch.error.playback', { detail: data.details }));
      hls.destroy();
      hls = null;
    }
  });
  hls.loadSource(url);
  hls.attachMedia(video);
}

function startNative(url) {
  video.src = url;
  video.addEventListener('loadedmetadata', ready, { once: true });
  // Safari shows the playlist's subtitles as text tracks; the menu follows them.
  video.textTracks.addEventListener('addtrack', fillSubtitleMenuFromTextTracks);
  quality.hidden = true;
  quality.previousElementSibling.hidden = true;
  qualityCurrent.textContent = t('watch.quality.auto');
  video.addEventListener('error', () => fail(t('watch.error.playback', { detail: video.error ? video.error.code : '' })));
}

function ready() {
  playButton.disabled = false;
  if (statusLine.dataset.state === 'loading') setStatus('ready');
}

// ---- quality

function levelLabel(level) {
  if (level.height) return level.height + 'p';
  return t('watch.quality.kbps', { n: fmt.number(Math.round(level.bitrate / 1000)) });
}

function fillQualityMenu(levels) {
  const options = [new Option(t('watch.quality.auto'), 'auto')];
  // Highest first, as people read a quality menu; the value stays hls.js's level index.
  const order = levels.map((level, index) => ({ level, index })).sort((a, b) => b.level.bitrate - a.level.bitrate);
  for (const { level, index } of order) {
    options.push(new Option(levelLabel(level), String(index)));
  }
  quality.replaceChildren(...options);
  quality.value = 'auto';
  quality.disabled = levels.length < 2;
  if (hls.currentLevel >= 0) showCurrentLevel(hls.currentLevel);
}

function showCurrentLevel(index) {
  const level = hls && hls.levels[index];
  if (!level) return;
  qualityCurrent.textContent = levelLabel(level);
  qualityCurrent.dataset.level = String(index);
}

quality.addEventListener('change', () => {
  if (!hls) return;
  // currentLevel switches now (flushing the buffer); -1 gives the choice back to ABR.
  hls.currentLevel = quality.value === 'auto' ? -1 : Number(quality.value);
});

// ---- subtitles

function trackLabel(name, language, index) {
  return name || language || t('watch.subtitles.track', { n: index + 1 });
}

function fillSubtitleMenuFromHls() {
  const tracks = hls ? hls.subtitleTracks : [];
  const options = [new Option(t('watch.subtitles.off'), 'off')];
  tracks.forEach((track, index) => options.push(new Option(trackLabel(track.name, track.lang, index), String(index))));
  subtitles.replaceChildren(...options);
  subtitles.value = hls && hls.subtitleTrack >= 0 ? String(hls.subtitleTrack) : 'off';
  subtitles.disabled = tracks.length === 0;
}

function fillSubtitleMenuFromTextTracks() {
  const tracks = Array.from(video.textTracks).filter((tr) => tr.kind === 'subtitles' || tr.kind === 'captions');
  const options = [new Option(t('watch.subtitles.off'), 'off')];
  tracks.forEach((track, index) => options.push(new Option(trackLabel(track.label, track.language, index), String(index))));
  subtitles.replaceChildren(...options);
  const showing = tracks.findIndex((tr) => tr.mode === 'showing');
  subtitles.value = showing >= 0 ? String(showing) : 'off';
  subtitles.disabled = tracks.length === 0;
}

subtitles.addEventListener('change', () => {
  const choice = subtitles.value === 'off' ? -1 : Number(subtitles.value);
  if (hls) {
    // hls.js loads the track's segments and renders the cues into the video's text tracks.
    hls.subtitleDisplay = choice >= 0;
    hls.subtitleTrack = choice;
  } else {
    Array.from(video.textTracks)
      .filter((tr) => tr.kind === 'subtitles' || tr.kind === 'captions')
      .forEach((tr, index) => (tr.mode = index === choice ? 'showing' : 'disabled'));
  }
});

// ---- transport controls

function togglePlay() {
  if (video.paused || video.ended) {
    video.play().catch((e) => {
      if (e && e.name !== 'AbortError') fail(t('watch.error.playback', { detail: e.name }));
    });
  } else {
    video.pause();
  }
}

function showTime() {
  const duration = Number.isFinite(video.duration) ? video.duration : 0;
  if (!seeking) {
    seek.max = String(duration);
    seek.value = String(video.currentTime);
  }
  const text = fmt.duration(video.currentTime * 1000) + ' / ' + fmt.duration(duration * 1000);
  timeText.textContent = text;
  seek.setAttribute('aria-valuetext', text);
  seek.disabled = duration === 0;
}

function showPlaying() {
  const playing = !video.paused && !video.ended;
  const label = t(playing ? 'watch.pause' : 'watch.play');
  playButton.setAttribute('aria-label', label);
  playButton.title = label;
  playButton.dataset.playing = String(playing);
}

function showVolume() {
  const muted = video.muted || video.volume === 0;
  const label = t(muted ? 'watch.unmute' : 'watch.mute');
  muteButton.setAttribute('aria-label', label);
  muteButton.title = label;
  muteButton.setAttribute('aria-pressed', String(video.muted));
  muteButton.dataset.muted = String(muted);
  volume.value = String(video.muted ? 0 : video.volume);
}

function sendBeacon() {
  if (beaconSent) return;
  beaconSent = true;
  api('POST', '/api/v1/events/view', { videoId: id, position: video.currentTime })
    .then(() => (video.dataset.beacon = 'sent'))
    .catch(() => (video.dataset.beacon = 'failed')); // a lost view is not the viewer's problem
}

function toggleFullscreen() {
  if (document.fullscreenElement) {
    document.exitFullscreen().catch(() => {});
  } else if (box.requestFullscreen) {
    box.requestFullscreen().catch(() => {});
  } else if (video.webkitEnterFullscreen) {
    video.webkitEnterFullscreen(); // iOS: only the video element can go full screen
  }
}

function showFullscreen() {
  const label = t(document.fullscreenElement ? 'watch.exitFullscreen' : 'watch.fullscreen');
  fullscreenButton.setAttribute('aria-label', label);
  fullscreenButton.title = label;
  fullscreenButton.dataset.fullscreen = String(Boolean(document.fullscreenElement));
}

playButton.addEventListener('click', togglePlay);
video.addEventListener('click', togglePlay);
video.addEventListener('play', showPlaying);
video.addEventListener('pause', () => {
  showPlaying();
  if (!video.ended) setStatus('paused');
});
video.addEventListener('playing', () => {
  setStatus('playing');
  sendBeacon();
});
video.addEventListener('waiting', () => setStatus('buffering'));
video.addEventListener('ended', () => {
  showPlaying();
  setStatus('ended');
});
video.addEventListener('timeupdate', showTime);
video.addEventListener('durationchange', showTime);
video.addEventListener('volumechange', showVolume);
seek.addEventListener('input', () => {
  seeking = true;
  video.currentTime = Number(seek.value);
});
seek.addEventListener('change', () => {
  seeking = false;
  showTime();
});
muteButton.addEventListener('click', () => {
  if (video.muted || video.volume === 0) {
    video.muted = false;
    if (video.volume === 0) video.volume = 0.5;
  } else {
    video.muted = true;
  }
});
volume.addEventListener('input', () => {
  video.volume = Number(volume.value);
  video.muted = video.volume === 0;
});
fullscreenButton.addEventListener('click', toggleFullscreen);
document.addEventListener('fullscreenchange', showFullscreen);

// Keys while the player has focus (not while a menu or slider does, which own their arrows).
box.addEventListener('keydown', (event) => {
  const target = event.target;
  if (target instanceof HTMLSelectElement || target instanceof HTMLInputElement) return;
  if (event.altKey || event.ctrlKey || event.metaKey) return;
  const key = event.key;
  if ((key === ' ' && target === video) || key === 'k') togglePlay();
  else if (key === 'ArrowLeft') video.currentTime = Math.max(0, video.currentTime - 5);
  else if (key === 'ArrowRight') video.currentTime = Math.min(video.duration || 0, video.currentTime + 5);
  else if (key === 'm') muteButton.click();
  else if (key === 'f') toggleFullscreen();
  else return;
  event.preventDefault();
});
video.tabIndex = 0;
video.setAttribute('aria-label', t('watch.player'));

showPlaying();
showVolume();
showFullscreen();
showTime();
loadMetadata();
start();
