// /admin/jobs: every transcoding job, newest first (GET /api/v1/admin/jobs), filtered by state and
// paged. The filter and page live in the URL (?state=&offset=), so a reload or a shared link shows
// the same list.
import { t, fmt, el, replace, api } from './app.js';
import { markSubnav, loadErrorBox, stateBadge, table, progressCell } from './admin-common.js';

const PAGE_SIZE = 50;
const STATES = ['RUNNING', 'SUCCEEDED', 'FAILED'];

markSubnav();

const list = document.getElementById('jobs');
const stateSelect = document.getElementById('jobs-state');
const prev = document.getElementById('jobs-prev');
const next = document.getElementById('jobs-next');
const pageLabel = document.getElementById('jobs-page');

const params = new URLSearchParams(location.search);
let state = STATES.includes(params.get('state')) ? params.get('state') : '';
let offset = Math.max(0, Number.parseInt(params.get('offset') || '0', 10) || 0);
stateSelect.value = state;

function remember() {
  const query = new URLSearchParams();
  if (state) query.set('state', state);
  if (offset) query.set('offset', String(offset));
  const search = query.toString();
  history.replaceState(null, '', location.pathname + (search ? '?' + search : ''));
}

async function load() {
  list.setAttribute('aria-busy', 'true');
  prev.disabled = true;
  next.disabled = true;
  const query = new URLSearchParams({ offset: String(offset), limit: String(PAGE_SIZE) });
  if (state) query.set('state', state);
  try {
    const body = await api('GET', '/api/v1/admin/jobs?' + query);
    const jobs = body.jobs || [];
    render(jobs);
    prev.disabled = offset === 0;
    // A full page may have a next one; an empty next page just says so.
    next.disabled = jobs.length < PAGE_SIZE;
    pageLabel.textContent = jobs.length
      ? t('admin.pager.range', { from: fmt.number(offset + 1), to: fmt.number(offset + jobs.length) })
      : '';
  } catch (e) {
    replace(list, loadErrorBox(e));
    prev.disabled = offset === 0;
    pageLabel.textContent = '';
  } finally {
    list.setAttribute('aria-busy', 'false');
  }
}

function render(jobs) {
  replace(
    list,
    table({
      id: 'jobs-table',
      caption: t('page.jobs.title'),
      columns: [
        { key: 'video', label: t('admin.jobs.video'), rowHeader: true },
        { key: 'owner', label: t('admin.jobs.owner') },
        { key: 'profile', label: t('admin.jobs.profile') },
        { key: 'state', label: t('admin.jobs.state') },
        { key: 'progress', label: t('admin.jobs.progress') },
        { key: 'created', label: t('admin.jobs.created') },
        { key: 'finished', label: t('admin.jobs.finished') },
      ],
      rows: jobs,
      empty: state ? t('admin.jobs.noneInState', { state: t('admin.state.' + state) }) : t('admin.jobs.none'),
      rowAttrs: (j) => ({ dataset: { videoId: j.videoId, state: j.state } }),
      cell(j, c) {
        switch (c.key) {
          case 'video':
            return el(
              'a',
              { href: '/admin/jobs/' + encodeURIComponent(j.videoId) },
              j.title || t('admin.jobs.untitled'),
              el('span', { class: 'muted id-suffix' }, j.videoId),
            );
          case 'owner':
            return j.owner || '–';
          case 'profile':
            return j.profile || '–';
          case 'state':
            return stateBadge(j.state);
          case 'progress':
            return progressCell(j.tasksDone, j.tasksTotal);
          case 'created':
            return el('time', { datetime: j.createdAt }, fmt.dateTime(j.createdAt));
          case 'finished':
            return j.finishedAt ? el('time', { datetime: j.finishedAt }, fmt.dateTime(j.finishedAt)) : '–';
          default:
            return '';
        }
      },
    }),
  );
}

stateSelect.addEventListener('change', () => {
  state = stateSelect.value;
  offset = 0;
  remember();
  load();
});
// The filter form has a single select: Enter must not reload the page.
document.getElementById('jobs-filter').addEventListener('submit', (e) => e.preventDefault());
prev.addEventListener('click', () => {
  offset = Math.max(0, offset - PAGE_SIZE);
  remember();
  load();
});
next.addEventListener('click', () => {
  offset += PAGE_SIZE;
  remember();
  load();
});

load();
