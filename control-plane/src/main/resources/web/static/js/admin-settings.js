// /admin/settings: the effective configuration (GET /api/v1/admin/settings), read-only. Top-level
// values form a "general" group, each top-level object a group of its own, deeper objects are
// flattened into dotted keys. Keys are shown as they are spelled in the configuration file (that
// is what an admin looks up and overrides); group headings are translated when the bundle knows
// the group. The pipeline profiles get a list of their own.
import { t, fmt, el, replace, api, boot } from './app.js';
import { markSubnav, loadErrorBox } from './admin-common.js';

markSubnav();

const settingsNode = document.getElementById('settings');
const pipelinesNode = document.getElementById('pipelines');

/** The bundle's name for a group, or the key itself for one this page does not know yet. */
function groupName(key) {
  const messageKey = 'admin.settings.group.' + key;
  return boot.messages && boot.messages[messageKey] ? t(messageKey) : key;
}

function value(v) {
  if (v == null) return el('span', { class: 'muted' }, t('admin.settings.notSet'));
  if (typeof v === 'boolean') return v ? t('admin.settings.yes') : t('admin.settings.no');
  // Ports, sizes and counts as written in the configuration: no digit grouping.
  if (typeof v === 'number') return el('code', {}, fmt.number(v, { useGrouping: false, maximumFractionDigits: 6 }));
  if (Array.isArray(v)) {
    if (v.length === 0) return el('span', { class: 'muted' }, t('common.none'));
    return el('ul', { class: 'value-list' }, v.map((x) => el('li', {}, typeof x === 'object' ? el('code', {}, JSON.stringify(x)) : value(x))));
  }
  if (typeof v === 'object') return el('code', {}, JSON.stringify(v));
  return el('code', {}, String(v));
}

/** Flattens nested objects into [dotted key, value] pairs; arrays stay values. */
function flatten(object, prefix = '') {
  const out = [];
  for (const [k, v] of Object.entries(object)) {
    const key = prefix ? prefix + '.' + k : k;
    if (v && typeof v === 'object' && !Array.isArray(v)) out.push(...flatten(v, key));
    else out.push([key, v]);
  }
  return out;
}

function group(id, title, pairs) {
  const headingId = 'settings-' + id;
  return el(
    'section',
    { class: 'settings-group panel', 'aria-labelledby': headingId, dataset: { group: id } },
    el('h2', { id: headingId }, title),
    el(
      'dl',
      { class: 'kv settings-list' },
      pairs.flatMap(([k, v]) => [el('dt', { dataset: { key: id === 'general' ? k : id + '.' + k } }, el('code', {}, k)), el('dd', {}, value(v))]),
    ),
  );
}

function renderPipelines(pipelines) {
  if (!pipelines) {
    replace(pipelinesNode, el('p', { class: 'muted' }, t('admin.settings.noPipelines')));
    return;
  }
  const profiles = pipelines.profiles || [];
  replace(
    pipelinesNode,
    el(
      'p',
      { class: 'muted' },
      pipelines.dir ? t('admin.settings.pipelinesDir', { dir: pipelines.dir }) : t('admin.settings.pipelinesBuiltin'),
    ),
    profiles.length
      ? el('ul', { id: 'pipelines-list', class: 'tag-list' }, profiles.map((p) => el('li', { dataset: { profile: p } }, el('code', {}, p))))
      : el('p', { class: 'muted' }, t('admin.settings.noPipelines')),
  );
}

async function load() {
  settingsNode.setAttribute('aria-busy', 'true');
  try {
    const settings = await api('GET', '/api/v1/admin/settings');
    const general = [];
    const groups = [];
    for (const [k, v] of Object.entries(settings)) {
      if (k === 'pipelines') continue;
      if (v && typeof v === 'object' && !Array.isArray(v)) groups.push(group(k, groupName(k), flatten(v)));
      else general.push([k, v]);
    }
    replace(
      settingsNode,
      el('div', { class: 'settings-grid' }, general.length ? group('general', groupName('general'), general) : null, groups),
    );
    renderPipelines(settings.pipelines);
  } catch (error) {
    replace(settingsNode, loadErrorBox(error));
    replace(pipelinesNode, el('p', { class: 'muted' }, t('admin.settings.noPipelines')));
  } finally {
    settingsNode.setAttribute('aria-busy', 'false');
  }
}

load();
