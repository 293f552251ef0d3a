// Page module for /studio/upload (docs/web-ui.md; docs/upload.md for the API, docs/tus.md for
// ingest). Creates the video (POST /api/v1/videos), then sends the file to ingest with
// tus-js-client: in 2–4 parallel parts for larger files (ingest has the concatenation extension),
// retried with back-off after network errors, and resumable after a page reload. The metadata form
// is saved while the bytes flow; thumbnail and subtitles can be added as soon as the video exists.
//
// Resuming after a reload: tus-js-client keeps the upload URLs in localStorage under the file's
// fingerprint; this page keeps, per file (name, size, type, modification time), the video id and
// upload URL it created, so picking the same file again continues that video instead of creating
// a second one. The entry goes when the upload finishes or its token has expired.
//
// Test hooks: #file, #profile, #upload-start, #upload-progress, #upload-percent[data-percent],
// #upload-speed, #upload-eta, #upload-status[data-state] idle|creating|uploading|paused|retrying|
// error|done, #upload-panel[data-video-id], #upload-pause, #resume-note, #save-status[data-state],
// #processing (the processing view, see studio-shared.js), #video-page-link.
import { t, fmt, api, el, replace } from './app.js';
import { metadataForm, fillLanguages, fillProfiles, profileHint as hintOf, processingView, subtitlesPart, thumbnailPart } from './studio-shared.js';

const MAX_BYTES = 1024 * 1024 * 1024; // ingest's Tus-Max-Size
// Each PATCH carries at most this much: ingest keeps the bytes of an interrupted PATCH, so chunks
// buy no resumability here, but they bound what a proxy in between has to accept in one request.
const CHUNK_BYTES = 64 * 1024 * 1024;
const RETRY_DELAYS = [0, 1000, 3000, 5000, 10000];
const STORE_PREFIX = 'reelbox.upload.';

const fileInput = document.getElementById('file');
const profile = document.getElementById('profile');
const profileHint = document.getElementById('profile-hint');
const startButton = document.getElementById('upload-start');
const resumeNote = document.getElementById('resume-note');
const panel = document.getElementById('upload-panel');
const bar = document.getElementById('upload-progress');
const fileName = document.getElementById('upload-file-name');
const percentText = document.getElementById('upload-percent');
const speedText = document.getElementById('upload-speed');
const etaText = document.getElementById('upload-eta');
const statusLine = document.getElementById('upload-status');
const pauseButton = document.getElementById('upload-pause');
const formElement = document.getElementById('metadata-form');

let file = null;
let contentType = null;
let videoId = null;
let resumeEntry = null; // {videoId, uploadUrl, expiresAt} of an unfinished upload of this file
let upload = null;
let autoTitle = '';

let profiles = [];
fillLanguages(document.getElementById('language'), 'studio.form.languageUnknown');
const form = metadataForm({ form: formElement, status: document.getElementById('save-status'), videoId: () => videoId, autosave: true });
const thumbnail = thumbnailPart(document.getElementById('thumbnail-part'), () => videoId, null);
const subtitles = subtitlesPart(document.getElementById('subtitles-part'), () => videoId);
thumbnail.setEnabled(false);
subtitles.setEnabled(false);

function showProfileHint() {
  const chosen = profiles.find((p) => p.name === profile.value);
  profileHint.textContent = chosen ? hintOf(chosen) : '';
}
profile.addEventListener('change', showProfileHint);
fillProfiles(profile).then((list) => {
  profiles = list;
  showProfileHint();
});

// ---- status

const STATUS_KEYS = {
  idle: null,
  creating: 'upload.status.creating',
  uploading: 'upload.status.uploading',
  paused: 'upload.status.paused',
  retrying: 'upload.status.retrying',
  done: 'upload.status.done',
};

function setStatus(state, text) {
  statusLine.dataset.state = state;
  panel.dataset.state = state;
  statusLine.className = state === 'error' ? 'error' : state === 'done' ? 'notice' : '';
  statusLine.textContent = text !== undefined ? text : STATUS_KEYS[state] ? t(STATUS_KEYS[state]) : '';
  pauseButton.hidden = !['uploading', 'retrying', 'paused', 'error'].includes(state) || !upload;
  const resumable = state === 'paused' || state === 'error';
  pauseButton.textContent = t(resumable ? 'upload.resume' : 'upload.pause');
}

// ---- remembered uploads (resume after reload)

function fileKey(f) {
  return [f.name, f.size, f.type, f.lastModified].join('|');
}

function remembered(f) {
  try {
    const entry = JSON.parse(localStorage.getItem(STORE_PREFIX + fileKey(f)) || 'null');
    return entry && entry.videoId && entry.uploadUrl && Date.parse(entry.expiresAt) > Date.now() ? entry : null;
  } catch (e) {
    return null;
  }
}

function remember(f, entry) {
  try {
    localStorage.setItem(STORE_PREFIX + fileKey(f), JSON.stringify({ ...entry, name: f.name }));
  } catch (e) {
    // Private mode or a full quota: the upload works, it just cannot be resumed after a reload.
  }
}

function forget(f) {
  localStorage.removeItem(STORE_PREFIX + fileKey(f));
}

/** Names of files whose upload was left unfinished (and may still be resumed) on this browser. */
function unfinished() {
  const names = [];
  for (let i = 0; i < localStorage.length; i++) {
    const key = localStorage.key(i);
    if (!key || !key.startsWith(STORE_PREFIX)) continue;
    try {
      const entry = JSON.parse(localStorage.getItem(key));
      if (Date.parse(entry.expiresAt) > Date.now()) names.push(entry.name);
      else localStorage.removeItem(key);
    } catch (e) {
      localStorage.removeItem(key);
    }
  }
  return names;
}

// ---- choosing a file

function guessType(f) {
  if (f.type) return f.type;
  const ext = (f.name.split('.').pop() || '').toLowerCase();
  return { mp4: 'video/mp4', m4v: 'video/mp4', mov: 'video/quicktime', mkv: 'video/x-matroska', webm: 'video/webm', avi: 'video/x-msvideo', ts: 'video/mp2t' }[ext] || '';
}

function titleFrom(name) {
  const dot = name.lastIndexOf('.');
  return (dot > 0 ? name.slice(0, dot) : name).slice(0, 200);
}

async function chooseFile() {
  const chosen = fileInput.files && fileInput.files[0];
  resumeEntry = null;
  resumeNote.hidden = true;
  startButton.disabled = true;
  file = null;
  if (!chosen) return;
  contentType = guessType(chosen);
  if (!contentType.startsWith('video/')) {
    setStatus('error', t('upload.error.notVideo'));
    panel.hidden = false;
    return;
  }
  if (chosen.size === 0 || chosen.size > MAX_BYTES) {
    setStatus('error', t('upload.error.size', { max: fmt.bytes(MAX_BYTES) }));
    panel.hidden = false;
    return;
  }
  file = chosen;
  panel.hidden = true;
  setStatus('idle');
  const title = formElement.elements.namedItem('title');
  if (!title.value || title.value === autoTitle) {
    autoTitle = titleFrom(chosen.name);
    title.value = autoTitle;
  }
  const entry = remembered(chosen);
  if (entry) {
    try {
      const video = await api('GET', '/api/v1/videos/' + encodeURIComponent(entry.videoId));
      if (video.state === 'UPLOADING') {
        resumeEntry = entry;
        form.fill(video);
        profile.value = video.profile;
        resumeNote.textContent = t('upload.resumeNote', { title: video.title });
        resumeNote.hidden = false;
      } else {
        forget(chosen);
      }
    } catch (e) {
      if (e.status === 404) forget(chosen);
    }
  }
  startButton.disabled = false;
}

fileInput.addEventListener('change', chooseFile);

// ---- uploading

function partsFor(size) {
  const mb = 1024 * 1024;
  if (size < 16 * mb) return 1;
  if (size < 128 * mb) return 2;
  if (size < 512 * mb) return 3;
  return 4;
}

async function createVideo() {
  const values = form.values();
  const body = {
    filename: file.name,
    size: file.size,
    contentType,
    title: values.title || titleFrom(file.name),
    profile: profile.value,
    visibility: values.visibility,
    tags: values.tags,
  };
  if (values.description) body.description = values.description;
  if (values.language) body.language = values.language;
  const created = await api('POST', '/api/v1/videos', body);
  return { videoId: created.id, uploadUrl: created.uploadUrl, expiresAt: created.expiresAt };
}

function attachVideo(id) {
  videoId = id;
  panel.dataset.videoId = id;
  document.getElementById('video-page-link').href = '/studio/videos/' + encodeURIComponent(id);
  thumbnail.setEnabled(true);
  subtitles.setEnabled(true);
  subtitles.refresh();
}

async function start() {
  if (!file) return;
  startButton.disabled = true;
  fileInput.disabled = true;
  profile.disabled = true;
  panel.hidden = false;
  resumeNote.hidden = true;
  fileName.textContent = file.name;
  setStatus('creating');
  let entry = resumeEntry;
  if (!entry) {
    try {
      entry = await createVideo();
    } catch (e) {
      setStatus('error', t('common.error.generic', { message: e.message }));
      startButton.disabled = false;
      fileInput.disabled = false;
      profile.disabled = false;
      return;
    }
    remember(file, entry);
  }
  attachVideo(entry.videoId);
  if (form.isDirty()) form.saveNow(); // edits made while the video was being created
  beginTus(entry);
}

function beginTus(entry) {
  const target = file;
  const speed = speedMeter();
  upload = new window.tus.Upload(target, {
    endpoint: entry.uploadUrl,
    chunkSize: CHUNK_BYTES,
    parallelUploads: partsFor(target.size),
    retryDelays: RETRY_DELAYS,
    metadata: { filename: target.name, filetype: contentType },
    // The fingerprint names the video, so the stored upload URLs can only resume this video's
    // upload (the default one includes the endpoint, whose token the page does not keep).
    fingerprint: (f) => Promise.resolve('reelbox-' + entry.videoId + '-' + fileKey(f)),
    storeFingerprintForResuming: true,
    removeFingerprintOnSuccess: true,
    onProgress(sent, total) {
      if (statusLine.dataset.state !== 'uploading') setStatus('uploading');
      showProgress(sent, total, speed.sample(sent));
    },
    onShouldRetry(error) {
      // tus-js-client's default rule (retry unless a 4xx other than 409/423, and only online),
      // with the page saying that it is reconnecting.
      const status = error.originalResponse ? error.originalResponse.getStatus() : 0;
      const retry = (!(status >= 400 && status < 500) || status === 409 || status === 423) && navigator.onLine !== false;
      if (retry) {
        speed.reset();
        setStatus('retrying');
      }
      return retry;
    },
    onError(error) {
      speed.reset();
      const status = error.originalResponse ? error.originalResponse.getStatus() : 0;
      if (status === 0 || status >= 500) setStatus('error', t('upload.error.network'));
      else setStatus('error', t('upload.error.refused', { status }));
    },
    onSuccess() {
      forget(target);
      showProgress(target.size, target.size, null);
      setStatus('done');
      pauseButton.hidden = true;
      if (form.isDirty()) form.saveNow();
      showProcessing();
    },
  });
  upload
    .findPreviousUploads()
    .then((previous) => {
      if (previous.length > 0) upload.resumeFromPreviousUpload(previous[0]);
      upload.start();
      setStatus('uploading');
    })
    .catch((e) => setStatus('error', t('common.error.generic', { message: e.message })));
}

/** Bytes per second, smoothed (an exponential moving average over samples at least 0.5 s apart). */
function speedMeter() {
  let last = null;
  let rate = null;
  return {
    sample(bytes) {
      const now = performance.now();
      if (!last || bytes < last.bytes) {
        last = { bytes, now };
        return rate;
      }
      const seconds = (now - last.now) / 1000;
      if (seconds >= 0.5) {
        const instant = (bytes - last.bytes) / seconds;
        rate = rate == null ? instant : 0.7 * rate + 0.3 * instant;
        last = { bytes, now };
      }
      return rate;
    },
    reset() {
      last = null;
      rate = null;
    },
  };
}

function showProgress(sent, total, rate) {
  const ratio = total > 0 ? sent / total : 0;
  const percent = Math.floor(ratio * 100);
  bar.value = percent;
  bar.setAttribute('aria-valuetext', fmt.percent(ratio));
  percentText.textContent = fmt.percent(ratio);
  percentText.dataset.percent = String(percent);
  speedText.textContent = rate ? fmt.rate(rate) : '';
  etaText.textContent = rate && sent < total ? t('upload.eta', { time: fmt.duration(((total - sent) / rate) * 1000) }) : '';
}

function showProcessing() {
  document.getElementById('processing-section').hidden = false;
  processingView(document.getElementById('processing'), videoId);
}

pauseButton.addEventListener('click', () => {
  if (!upload) return;
  const state = statusLine.dataset.state;
  if (state === 'paused' || state === 'error') {
    setStatus('uploading');
    upload.start();
  } else {
    upload.abort();
    setStatus('paused');
  }
});

// Back online after the retries ran out: carry on by ourselves.
window.addEventListener('online', () => {
  if (upload && statusLine.dataset.state === 'error') {
    setStatus('uploading');
    upload.start();
  }
});

startButton.addEventListener('click', start);

const left = unfinished();
if (left.length > 0) {
  resumeNote.hidden = false;
  replace(resumeNote, el('span', { text: t('upload.unfinished', { names: left.join(', ') }) }));
}
