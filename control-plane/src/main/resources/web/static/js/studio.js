// Page module for /studio (docs/web-ui.md): the creator's videos with their state and progress,
// refreshed every few seconds while any of them is still uploading or processing.
//
// Test hooks: #my-videos[data-state] loading|ready|empty|error; rows tr[data-video-id] with a
// .badge[data-state]; #upload-link; #more-videos.
import { t, fmt, api, el, replace, errorBox } from './app.js';
import { stateBadge } from './studio-shared.js';

const PAGE_SIZE = 50;
const REFRESH_MS = 5000;
const container = document.getElementById('my-videos');
const more = document.getElementById('more-videos');
let shown = PAGE_SIZE;
let timer = null;

function progressCell(video) {
  const p = video.progress;
  if (video.state === 'READY') return el('span', { class: 'muted', text: fmt.percent(1) });
  if (video.state === 'FAILED') return el('span', { class: 'error', text: (video.error && video.error.code) || t('common.state.FAILED') });
  if (p && p.tasksTotal > 0) {
    const ratio = p.tasksDone / p.tasksTotal;
    return el('div', { class: 'progress-line' }, el('progress', { max: 1, value: ratio, 'aria-label': t('studio.list.progressOf', { title: video.title }) }), el('span', { class: 'muted', text: fmt.percent(ratio) }));
  }
  if (video.state === 'PROCESSING' || video.state === 'UPLOADED') {
    return el('progress', { 'aria-label': t('studio.list.progressOf', { title: video.title }) });
  }
  return el('span', { class: 'muted', text: '–' });
}

function row(video) {
  const href = '/studio/videos/' + encodeURIComponent(video.id);
  const thumb = video.thumbnailUrl
    ? el('img', { class: 'row-thumb', src: video.thumbnailUrl, alt: '', loading: 'lazy' })
    : el('div', { class: 'row-thumb thumb-empty', 'aria-hidden': 'true' });
  return el(
    'tr',
    { dataset: { videoId: video.id, state: video.state } },
    el('td', { class: 'thumb-cell' }, thumb),
    el('td', {}, el('a', { href, text: video.title })),
    el('td', {}, stateBadge(video.state)),
    el('td', {}, progressCell(video)),
    el('td', { text: video.visibility ? t('studio.visibility.' + video.visibility) : '–' }),
    el('td', { class: 'num', text: fmt.duration(video.durationMs) }),
    el('td', { text: fmt.dateTime(video.createdAt) }),
  );
}

async function load() {
  clearTimeout(timer);
  try {
    const page = await api('GET', `/api/v1/videos?scope=mine&sort=latest&offset=0&limit=${shown}`);
    const videos = (page && page.videos) || [];
    if (videos.length === 0) {
      replace(container, el('p', { class: 'empty muted' }, t('studio.list.empty'), ' ', el('a', { href: '/studio/upload', text: t('studio.uploadButton') })));
      container.dataset.state = 'empty';
    } else {
      replace(
        container,
        el(
          'table',
          { class: 'video-table' },
          el('caption', { class: 'visually-hidden', text: t('page.studio.title') }),
          el(
            'thead',
            {},
            el(
              'tr',
              {},
              el('th', { scope: 'col' }, el('span', { class: 'visually-hidden', text: t('studio.list.thumbnail') })),
              el('th', { scope: 'col', text: t('studio.list.title') }),
              el('th', { scope: 'col', text: t('studio.list.state') }),
              el('th', { scope: 'col', text: t('studio.list.progress') }),
              el('th', { scope: 'col', text: t('studio.list.visibility') }),
              el('th', { scope: 'col', class: 'num', text: t('studio.list.duration') }),
              el('th', { scope: 'col', text: t('studio.list.created') }),
            ),
          ),
          el('tbody', {}, videos.map(row)),
        ),
      );
      container.dataset.state = 'ready';
    }
    more.hidden = videos.length < shown;
    if (videos.some((v) => ['UPLOADING', 'UPLOADED', 'PROCESSING'].includes(v.state)) && !document.hidden) {
      timer = setTimeout(load, REFRESH_MS);
    }
  } catch (e) {
    replace(container, errorBox(e), el('button', { type: 'button', class: 'btn', text: t('common.retry'), on: { click: load } }));
    container.dataset.state = 'error';
  }
}

more.addEventListener('click', () => {
  shown += PAGE_SIZE;
  load();
});
// A hidden tab stops refreshing; coming back refreshes at once.
document.addEventListener('visibilitychange', () => {
  if (!document.hidden) load();
});
load();
