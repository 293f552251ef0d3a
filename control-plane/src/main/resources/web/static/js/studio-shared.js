// Parts shared by the studio's upload page and video page (docs/web-ui.md): the metadata form,
// the processing view (state, overall progress, one row per pipeline stage), the subtitle list
// and the custom thumbnail. Each part is built into an element the page already has.
import { t, fmt, api, el, replace, errorBox, boot, videoEvents } from './app.js';

/** Languages offered for a video and its subtitles; names come from Intl in the page's language. */
export const LANGUAGES = ['en', 'ko', 'ja', 'zh', 'es', 'fr', 'de', 'pt', 'it', 'ru', 'ar', 'hi', 'id', 'th', 'vi'];
const languageNames = new Intl.DisplayNames([boot.lang || 'en'], { type: 'language' });

export function languageName(code) {
  try {
    return languageNames.of(code) || code;
  } catch (e) {
    return code;
  }
}

/** Fills a <select> with the languages, first an empty choice labelled `emptyKey` when given. */
export function fillLanguages(select, emptyKey) {
  const options = emptyKey ? [new Option(t(emptyKey), '')] : [];
  for (const code of LANGUAGES) options.push(new Option(languageName(code), code));
  select.replaceChildren(...options);
}

/** Pipeline profiles offered to creators (conf/pipelines); no API lists them yet. */
// The shipped profiles, offered when the control plane cannot be asked (GET /api/v1/profiles).
const FALLBACK_PROFILES = [{ name: 'default', description: '', default: true }, { name: 'fast', description: '' }];

/** A profile's label: the bundle's name for a shipped profile, else its own description. */
export function profileLabel(p) {
  const key = 'studio.profile.' + p.name;
  return key in (boot.messages || {}) ? t(key) : p.description || p.name;
}

/** A profile's hint: the bundle's for a shipped profile, else its description. */
export function profileHint(p) {
  const key = 'studio.profile.' + p.name + '.hint';
  return key in (boot.messages || {}) ? t(key) : p.description || '';
}

/** Fills the profile <select> with the control plane's profiles; answers them. */
export async function fillProfiles(select) {
  let profiles = FALLBACK_PROFILES;
  try {
    profiles = (await api('GET', '/api/v1/profiles')).profiles;
  } catch (e) {
    // An older control plane: the shipped two still work.
  }
  select.replaceChildren(...profiles.map((p) => new Option(profileLabel(p), p.name, p.default, p.default)));
  return profiles;
}

const VIDEO = (id) => '/api/v1/videos/' + encodeURIComponent(id);

// ---- metadata form

/**
 * The metadata form (#title, #description, #language, #visibility, #tags). `values()` reads it as
 * an API body; `fill(video)` writes a video into it. With `autosave`, every change is PATCHed after
 * a pause in typing once `videoId()` answers an id; `saveNow()` saves at once. #save-status says
 * saving, saved or the error (data-state saving|saved|error).
 */
export function metadataForm({ form, status, videoId, autosave, onSaved }) {
  const field = (name) => form.elements.namedItem(name);
  let timer = null;
  let saving = Promise.resolve();
  let dirty = false;

  function values() {
    const tags = field('tags')
      .value.split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    return {
      title: field('title').value.trim(),
      description: field('description').value,
      language: field('language').value || null,
      visibility: field('visibility').value,
      tags,
    };
  }

  function fill(video) {
    field('title').value = video.title || '';
    field('description').value = video.description || '';
    field('language').value = video.language || '';
    if (video.visibility) field('visibility').value = video.visibility;
    field('tags').value = (video.tags || []).join(', ');
  }

  function setStatus(state, text) {
    status.dataset.state = state;
    status.textContent = text;
  }

  async function save() {
    const id = videoId();
    if (!id) return;
    const body = values();
    if (!body.title) {
      setStatus('error', t('studio.form.titleRequired'));
      return;
    }
    dirty = false;
    setStatus('saving', t('studio.form.saving'));
    try {
      const video = await api('PATCH', VIDEO(id), body);
      if (!dirty) setStatus('saved', t('common.saved'));
      if (onSaved) onSaved(video);
    } catch (e) {
      dirty = true;
      setStatus('error', t('common.error.generic', { message: e.message }));
    }
  }

  function saveNow() {
    clearTimeout(timer);
    saving = saving.then(save);
    return saving;
  }

  form.addEventListener('input', () => (dirty = true));
  if (autosave) {
    const later = () => {
      dirty = true;
      if (!videoId()) return;
      setStatus('pending', t('studio.form.unsaved'));
      clearTimeout(timer);
      timer = setTimeout(saveNow, 800);
    };
    form.addEventListener('input', later);
    form.addEventListener('change', later);
  }
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    saveNow();
  });
  return { values, fill, saveNow, isDirty: () => dirty };
}

// ---- processing

/** The translated name of a pipeline stage (node type); the raw name for one the UI does not know. */
export function stageName(stage) {
  const key = 'studio.stage.' + stage;
  return key in (boot.messages || {}) ? t(key) : stage;
}

const BADGE = { READY: 'badge-ok', FAILED: 'badge-bad', PROCESSING: 'badge-info', UPLOADING: 'badge-warn', UPLOADED: 'badge-info' };

/** A state badge with data-state. */
export function stateBadge(state, attrs = {}) {
  return el('span', { class: 'badge ' + (BADGE[state] || ''), dataset: { state }, text: fmt.state(state), ...attrs });
}

/** Stage counts from a job's tasks (GET /videos/{id}/job), the shape of a `progress` event. */
export function progressFromJob(job) {
  const stages = new Map();
  for (const node of job.nodes || []) {
    if (!stages.has(node.stage)) stages.set(node.stage, { stage: node.stage, done: 0, running: 0, failed: 0, total: 0 });
  }
  let done = 0;
  for (const task of job.tasks || []) {
    let s = stages.get(task.stage);
    if (!s) stages.set(task.stage, (s = { stage: task.stage, done: 0, running: 0, failed: 0, total: 0 }));
    s.total++;
    if (task.state === 'DONE' || task.state === 'SUCCEEDED') {
      s.done++;
      done++;
    } else if (task.state === 'RUNNING') s.running++;
    else if (task.state === 'FAILED') s.failed++;
  }
  return { jobState: job.state, tasksDone: done, tasksTotal: (job.tasks || []).length, stages: [...stages.values()] };
}

/**
 * The processing view inside `root`: #video-state (badge, data-state = the video's state),
 * #processing-progress (<progress>) with #processing-percent, #stages (rows tr[data-stage] with
 * data-status waiting|running|done|failed), #video-error when FAILED, and #watch-link when READY.
 * Follows the video's event stream until it ends. `onState(video)` is told every state.
 */
export function processingView(root, videoId, { onState } = {}) {
  const stateSlot = el('span', { id: 'video-state-slot' });
  const bar = el('progress', { id: 'processing-progress', max: 1, 'aria-labelledby': 'processing-label' });
  const percent = el('span', { id: 'processing-percent', class: 'muted' });
  const stageBody = el('tbody');
  const stageTable = el(
    'table',
    { id: 'stages', class: 'stages', hidden: true },
    el('caption', { class: 'visually-hidden', text: t('studio.processing.stages') }),
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        el('th', { scope: 'col', text: t('studio.processing.stage') }),
        el('th', { scope: 'col', text: t('studio.processing.status') }),
        el('th', { scope: 'col', class: 'num', text: t('studio.processing.tasks') }),
        el('th', { scope: 'col', text: t('studio.processing.progress') }),
      ),
    ),
    stageBody,
  );
  const errorSlot = el('div', { id: 'video-error-slot' });
  const watchLink = el('a', { id: 'watch-link', class: 'btn btn-primary', href: '/watch/' + encodeURIComponent(videoId), hidden: true, text: t('studio.watch') });
  const live = el('p', { id: 'processing-live', class: 'visually-hidden', 'aria-live': 'polite' });
  replace(
    root,
    el('div', { class: 'state-line' }, el('span', { id: 'processing-label', text: t('studio.processing.state') }), ' ', stateSlot, ' ', watchLink),
    el('div', { class: 'progress-line' }, bar, percent),
    stageTable,
    errorSlot,
    live,
  );
  let state = null;

  function showState(video) {
    const changed = video.state !== state;
    state = video.state;
    replace(stateSlot, stateBadge(state, { id: 'video-state' }));
    watchLink.hidden = state !== 'READY';
    if (state === 'READY') {
      bar.value = 1;
      percent.textContent = fmt.percent(1);
      percent.dataset.percent = '100';
    } else if (state === 'UPLOADING' || state === 'UPLOADED') {
      bar.removeAttribute('value'); // indeterminate until the job has tasks
      percent.textContent = '';
    }
    if (state === 'FAILED') {
      const error = video.error || {};
      replace(
        errorSlot,
        el('p', { id: 'video-error', class: 'error', role: 'alert', dataset: { code: error.code || '' } }, t('studio.processing.failed', { message: error.message || error.code || t('common.unknown') })),
      );
    } else {
      replace(errorSlot);
    }
    if (changed) live.textContent = t('studio.processing.nowState', { state: fmt.state(state) });
    if (onState) onState(video);
  }

  function showProgress(p) {
    if (state === 'READY') return;
    if (p.tasksTotal > 0) {
      const ratio = p.tasksDone / p.tasksTotal;
      bar.value = ratio;
      percent.textContent = t('studio.processing.tasksOf', { percent: fmt.percent(ratio), done: fmt.number(p.tasksDone), total: fmt.number(p.tasksTotal) });
      percent.dataset.percent = String(Math.floor(ratio * 100));
    }
    if (!p.stages || p.stages.length === 0) return;
    stageTable.hidden = false;
    replace(
      stageBody,
      p.stages.map((s) => {
        const status = s.failed > 0 ? 'failed' : s.total > 0 && s.done === s.total ? 'done' : s.running > 0 || s.done > 0 ? 'running' : 'waiting';
        return el(
          'tr',
          { dataset: { stage: s.stage, status } },
          el('th', { scope: 'row', text: stageName(s.stage) }),
          el('td', {}, el('span', { class: 'stage-status stage-' + status, text: t('studio.stage.status.' + status) })),
          el('td', { class: 'num', text: t('studio.processing.count', { done: fmt.number(s.done), total: fmt.number(s.total) }) }),
          el('td', {}, el('progress', { max: Math.max(1, s.total), value: s.done, 'aria-label': stageName(s.stage) })),
        );
      }),
    );
  }

  async function seed() {
    try {
      const video = await api('GET', VIDEO(videoId));
      if (state == null) showState(video);
      if (video.progress && state !== 'READY') showProgress({ ...video.progress, stages: [] });
      if (video.state === 'PROCESSING' || video.state === 'FAILED') {
        const job = await api('GET', VIDEO(videoId) + '/job').catch(() => null);
        if (job) showProgress(progressFromJob(job));
      }
    } catch (e) {
      replace(errorSlot, errorBox(e));
    }
  }

  seed();
  const source = window.EventSource
    ? videoEvents(videoId, {
        state: showState,
        progress: showProgress,
      })
    : null;
  return { close: () => source && source.close() };
}

// ---- subtitles

/**
 * The subtitle list (#subtitle-list, rows li[data-language]) and the add form (#subtitle-lang,
 * #subtitle-name, #subtitle-file, #subtitle-add) for the video `videoId()` answers.
 */
export function subtitlesPart(root, videoId) {
  const list = el('ul', { id: 'subtitle-list', class: 'plain-list', 'aria-live': 'polite' });
  const lang = el('select', { id: 'subtitle-lang', name: 'subtitle-lang' });
  fillLanguages(lang);
  const name = el('input', { id: 'subtitle-name', name: 'subtitle-name', type: 'text', maxlength: 100 });
  const file = el('input', { id: 'subtitle-file', name: 'subtitle-file', type: 'file', accept: '.vtt,text/vtt', required: true });
  const add = el('button', { id: 'subtitle-add', type: 'submit', class: 'btn', text: t('studio.subtitles.add') });
  const message = el('p', { id: 'subtitle-status', role: 'status', class: 'muted' });
  const form = el(
    'form',
    { class: 'subtitle-form', novalidate: true },
    el(
      'div',
      { class: 'form-row' },
      el('div', { class: 'field' }, el('label', { for: 'subtitle-lang', text: t('studio.subtitles.language') }), lang),
      el('div', { class: 'field' }, el('label', { for: 'subtitle-name', text: t('studio.subtitles.name') }), name),
      el('div', { class: 'field' }, el('label', { for: 'subtitle-file', text: t('studio.subtitles.file') }), file),
    ),
    add,
    message,
  );
  replace(root, list, form);

  function say(state, text) {
    message.dataset.state = state;
    message.className = state === 'error' ? 'error' : state === 'saved' ? 'notice' : 'muted';
    message.textContent = text;
  }

  async function refresh() {
    const id = videoId();
    if (!id) {
      replace(list, el('li', { class: 'muted', text: t('studio.needsVideo') }));
      return;
    }
    try {
      const answer = await api('GET', VIDEO(id) + '/subtitles');
      const subs = (answer && answer.subtitles) || [];
      if (subs.length === 0) {
        replace(list, el('li', { class: 'muted empty', text: t('studio.subtitles.none') }));
        return;
      }
      replace(
        list,
        subs.map((s) =>
          el(
            'li',
            { dataset: { language: s.language } },
            el('span', { text: (s.name || languageName(s.language)) + ' (' + s.language + ')' }),
            ' ',
            el('button', {
              type: 'button',
              class: 'btn btn-danger btn-small',
              'aria-label': t('studio.subtitles.delete', { name: s.name || languageName(s.language) }),
              text: t('common.delete'),
              on: { click: () => remove(s.language) },
            }),
          ),
        ),
      );
    } catch (e) {
      replace(list, el('li', {}, errorBox(e)));
    }
  }

  async function remove(language) {
    try {
      await api('DELETE', VIDEO(videoId()) + '/subtitles/' + encodeURIComponent(language));
      say('saved', t('studio.subtitles.deleted'));
    } catch (e) {
      say('error', t('common.error.generic', { message: e.message }));
    }
    refresh();
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const id = videoId();
    const chosen = file.files && file.files[0];
    if (!id) return say('error', t('studio.needsVideo'));
    if (!chosen) return say('error', t('studio.subtitles.pickFile'));
    if (chosen.size > 1024 * 1024) return say('error', t('studio.subtitles.tooLarge'));
    const text = await chosen.text();
    // The server checks too; this gives the clearer message before a round trip.
    if (!/^\uFEFF?WEBVTT/.test(text)) return say('error', t('studio.subtitles.notVtt'));
    add.disabled = true;
    say('saving', t('studio.form.saving'));
    try {
      const query = name.value.trim() ? '?name=' + encodeURIComponent(name.value.trim()) : '';
      await api('PUT', VIDEO(id) + '/subtitles/' + encodeURIComponent(lang.value) + query, text, {
        headers: { 'Content-Type': 'text/vtt; charset=utf-8' },
      });
      say('saved', t('studio.subtitles.added'));
      form.reset();
    } catch (e) {
      say('error', t('common.error.generic', { message: e.message }));
    } finally {
      add.disabled = false;
    }
    refresh();
  });

  refresh();
  return { refresh, setEnabled: (on) => form.querySelectorAll('input, select, button').forEach((c) => (c.disabled = !on)) };
}

// ---- thumbnail

/**
 * The custom thumbnail: #thumbnail-file (JPEG or PNG), #thumbnail-upload, a preview
 * (#thumbnail-preview) and #thumbnail-status (data-state saving|saved|error).
 */
export function thumbnailPart(root, videoId, currentUrl) {
  const preview = el('img', { id: 'thumbnail-preview', class: 'thumb-preview', alt: t('studio.thumbnail.preview'), hidden: !currentUrl, src: currentUrl || null });
  const file = el('input', { id: 'thumbnail-file', name: 'thumbnail-file', type: 'file', accept: 'image/jpeg,image/png' });
  const upload = el('button', { id: 'thumbnail-upload', type: 'submit', class: 'btn', text: t('studio.thumbnail.upload') });
  const message = el('p', { id: 'thumbnail-status', role: 'status', class: 'muted' });
  const form = el(
    'form',
    { class: 'thumbnail-form', novalidate: true },
    el('div', { class: 'field' }, el('label', { for: 'thumbnail-file', text: t('studio.thumbnail.file') }), file, el('span', { class: 'hint', text: t('studio.thumbnail.hint') })),
    upload,
    message,
  );
  replace(root, preview, form);

  function say(state, text) {
    message.dataset.state = state;
    message.className = state === 'error' ? 'error' : state === 'saved' ? 'notice' : 'muted';
    message.textContent = text;
  }

  file.addEventListener('change', () => {
    const chosen = file.files && file.files[0];
    if (!chosen) return;
    // A data: URL, as the page's CSP allows data: images but not blob: ones.
    const reader = new FileReader();
    reader.onload = () => {
      preview.src = reader.result;
      preview.hidden = false;
    };
    reader.readAsDataURL(chosen);
  });

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const id = videoId();
    const chosen = file.files && file.files[0];
    if (!id) return say('error', t('studio.needsVideo'));
    if (!chosen) return say('error', t('studio.thumbnail.pickFile'));
    if (!['image/jpeg', 'image/png'].includes(chosen.type)) return say('error', t('studio.thumbnail.wrongType'));
    if (chosen.size > 5 * 1024 * 1024) return say('error', t('studio.thumbnail.tooLarge'));
    upload.disabled = true;
    say('saving', t('studio.form.saving'));
    try {
      await api('PUT', VIDEO(id) + '/thumbnail', chosen, { headers: { 'Content-Type': chosen.type } });
      say('saved', t('studio.thumbnail.saved'));
    } catch (e) {
      say('error', t('common.error.generic', { message: e.message }));
    } finally {
      upload.disabled = false;
    }
  });
  return { setEnabled: (on) => form.querySelectorAll('input, button').forEach((c) => (c.disabled = !on)) };
}
