// Page module for /studio/videos/{id} (docs/web-ui.md): the video's metadata form, its processing
// (state, overall progress and one row per pipeline stage, live over the event stream), a link to
// watch it once READY, its subtitles and its thumbnail.
//
// Test hooks: #video-state[data-state] (READY when ready), #watch-link, #processing-progress,
// #processing-percent[data-percent], #stages tr[data-stage][data-status], #video-error[data-code],
// #metadata-form (#title, #description, #language, #visibility, #tags), #metadata-save,
// #save-status[data-state], #subtitle-*, #thumbnail-*.
import { t, fmt, api, el, replace, errorBox, pathId } from './app.js';
import { metadataForm, fillLanguages, processingView, subtitlesPart, thumbnailPart, languageName } from './studio-shared.js';

const id = pathId('/studio/videos/');
const heading = document.getElementById('video-heading');

fillLanguages(document.getElementById('language'), 'studio.form.languageUnknown');
const form = metadataForm({ form: document.getElementById('metadata-form'), status: document.getElementById('save-status'), videoId: () => id,
  autosave: false,
  onSaved: (video) => {
    heading.textContent = video.title;
    facts(video);
  },
});

function facts(video) {
  const rows = [
    ['studio.facts.filename', video.filename],
    ['studio.facts.size', fmt.bytes(video.sizeBytes)],
    ['studio.facts.duration', fmt.duration(video.durationMs)],
    ['studio.facts.profile', video.profile ? t('studio.profile.' + video.profile) : null],
    ['studio.facts.language', video.language ? languageName(video.language) : null],
    ['studio.facts.created', fmt.dateTime(video.createdAt)],
    ['studio.facts.updated', fmt.dateTime(video.updatedAt)],
  ];
  replace(
    document.getElementById('video-facts'),
    rows.flatMap(([key, value]) => [el('dt', { text: t(key) }), el('dd', { text: value == null ? '–' : value })]),
  );
}

async function load() {
  let video;
  try {
    video = await api('GET', '/api/v1/videos/' + encodeURIComponent(id));
  } catch (e) {
    replace(document.getElementById('video-load'), errorBox(e));
    replace(document.getElementById('processing'));
    return;
  }
  heading.textContent = video.title;
  document.title = video.title + ' · reelbox';
  form.fill(video);
  facts(video);
  thumbnailPart(document.getElementById('thumbnail-part'), () => id, video.thumbnailUrl || null);
  subtitlesPart(document.getElementById('subtitles-part'), () => id);
  processingView(document.getElementById('processing'), id, {
    onState(v) {
      // Later states bring the size, duration and so on; the form keeps what is being typed.
      facts(v);
      if (v.title && !form.isDirty()) heading.textContent = v.title;
    },
  });
}

load();
