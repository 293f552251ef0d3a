// Page module for / (docs/web-ui.md): the latest and the most popular public videos as cards.
import { t, fmt, api, el, replace, errorBox } from './app.js';

const SHELF_SIZE = 12;

/** One video card: a link to /watch/{id} with the thumbnail, duration, title, owner and date. */
export function videoCard(video) {
  const thumb = video.thumbnailUrl
    ? el('img', { class: 'thumb', src: video.thumbnailUrl, alt: '', loading: 'lazy' })
    : el('div', { class: 'thumb thumb-empty', 'aria-hidden': 'true' });
  return el(
    'li',
    {},
    el(
      'a',
      { class: 'video-card', href: '/watch/' + encodeURIComponent(video.id), dataset: { videoId: video.id } },
      el(
        'div',
        { class: 'thumb-box' },
        thumb,
        video.durationMs != null ? el('span', { class: 'duration', text: fmt.duration(video.durationMs) }) : null,
      ),
      el('div', { class: 'title', text: video.title }),
      el('div', { class: 'muted meta' }, video.ownerName || t('common.unknown'), ' · ', fmt.date(video.createdAt)),
    ),
  );
}

async function fill(sort, container) {
  try {
    const page = await api('GET', `/api/v1/videos?scope=public&sort=${sort}&limit=${SHELF_SIZE}`);
    const videos = (page && page.videos) || [];
    if (videos.length === 0) {
      replace(container, el('p', { class: 'empty muted', text: t('home.empty') }));
      container.dataset.state = 'empty';
    } else {
      replace(container, el('ul', { class: 'cards' }, videos.map(videoCard)));
      container.dataset.state = 'ready';
    }
  } catch (e) {
    replace(
      container,
      errorBox(e),
      el('button', { type: 'button', class: 'btn', text: t('common.retry'), on: { click: () => fill(sort, container) } }),
    );
    container.dataset.state = 'error';
  }
}

fill('latest', document.getElementById('latest'));
fill('popular', document.getElementById('popular'));
