// /admin: the cluster at a glance (docs/web-ui.md). Stat tiles from /api/v1/admin/overview, charts
// from the overview history and the daily cost report, the workers and the edge boxes. Refreshes
// every 10 s while the tab is visible. Each source fails on its own: a missing endpoint shows an
// error box in its section and leaves the rest of the page working.
import { t, fmt, el, replace, api } from './app.js';
import { markSubnav, loadErrorBox, badge, table, poll, edgeHitRatio, edgeBytesServed } from './admin-common.js';
import { lineChart, barChart, dayLabel } from './charts.js';

const REFRESH_MS = 10_000;
const VIDEO_STATES = ['UPLOADING', 'UPLOADED', 'PROCESSING', 'READY', 'FAILED'];

markSubnav();

const nodes = {
  status: document.getElementById('refresh-status'),
  overviewError: document.getElementById('overview-error'),
  stats: document.getElementById('stats'),
  charts: document.getElementById('charts'),
  workers: document.getElementById('workers'),
  edges: document.getElementById('edges'),
};

/** A result or the error, so that one failed request does not hide the others. */
const settle = (promise) => promise.then((value) => ({ value }), (error) => ({ error }));

function tile(id, label, value, sub, raw) {
  return el(
    'div',
    { class: 'stat', id, dataset: raw == null ? {} : { value: String(raw) } },
    el('div', { class: 'label' }, label),
    el('div', { class: 'value' }, value),
    sub ? el('div', { class: 'sub muted' }, sub) : null,
  );
}

function renderStats(o) {
  const byState = o.videosByState || {};
  const videoTotal = Object.values(byState).reduce((a, n) => a + n, 0);
  const states = [...VIDEO_STATES, ...Object.keys(byState).filter((s) => !VIDEO_STATES.includes(s))];
  const videoSub = states
    .filter((s) => byState[s])
    .map((s) => t('admin.stat.countOf', { label: fmt.state(s), n: fmt.number(byState[s]) }))
    .join(' · ');
  const workers = o.workers || [];
  const slots = workers.reduce((a, w) => a + (w.slots || 0), 0);
  const running = workers.reduce((a, w) => a + (w.runningTasks || 0), 0);
  const edges = o.edges || {};
  const cost = o.cost || {};
  replace(
    nodes.stats,
    tile('stat-videos', t('admin.stat.videos'), fmt.number(videoTotal), videoSub || t('admin.stat.noVideos'), videoTotal),
    tile(
      'stat-jobs',
      t('admin.stat.jobsRunning'),
      fmt.number(o.jobs?.running),
      t('admin.stat.queued', { n: fmt.number(o.jobs?.queued) }),
      o.jobs?.running,
    ),
    tile(
      'stat-tasks',
      t('admin.stat.tasksRunning'),
      fmt.number(o.tasks?.running),
      t('admin.stat.queued', { n: fmt.number(o.tasks?.queued) }),
      o.tasks?.running,
    ),
    tile(
      'stat-workers',
      t('admin.stat.workers'),
      fmt.number(workers.length),
      t('admin.stat.load', { running: fmt.number(running), slots: fmt.number(slots), percent: fmt.percent(slots ? running / slots : null) }),
      workers.length,
    ),
    tile(
      'stat-edges',
      t('admin.stat.edgesHealthy'),
      t('admin.stat.ofTotal', { n: fmt.number(edges.healthy), total: fmt.number(edges.total) }),
      t('admin.stat.draining', { n: fmt.number(edges.draining) }),
      edges.healthy,
    ),
    tile('stat-hit-ratio', t('admin.stat.hitRatio'), fmt.percent(edges.hitRatio), t('admin.stat.hitRatioHint'), edges.hitRatio),
    tile('stat-bytes', t('admin.stat.bytesServed'), fmt.bytes(edges.bytesServed), t('admin.stat.bytesServedHint'), edges.bytesServed),
    tile(
      'stat-saving',
      t('admin.stat.savingToday'),
      fmt.usd(num(cost.today?.savingUsd)),
      t('admin.stat.savingTotal', { amount: fmt.usd(num(cost.total?.savingUsd)) }),
      num(cost.today?.savingUsd),
    ),
  );
}

/** Money arrives as a JSON number (a BigDecimal on the server); tolerate a string too. */
function num(value) {
  return value == null ? null : Number(value);
}

function renderWorkers(workers) {
  replace(
    nodes.workers,
    table({
      id: 'workers-table',
      caption: t('admin.dashboard.workers'),
      columns: [
        { key: 'id', label: t('admin.workers.id'), rowHeader: true },
        { key: 'host', label: t('admin.workers.host') },
        { key: 'backend', label: t('admin.workers.backend') },
        { key: 'health', label: t('admin.workers.health') },
        { key: 'load', label: t('admin.workers.load'), num: true },
        { key: 'cores', label: t('admin.workers.cores'), num: true },
        { key: 'hw', label: t('admin.workers.hwEncoders') },
        { key: 'lastSeen', label: t('admin.workers.lastSeen') },
      ],
      rows: workers,
      empty: t('admin.workers.none'),
      rowAttrs: (w) => ({ dataset: { workerId: w.id } }),
      cell(w, c) {
        switch (c.key) {
          case 'id':
            return w.id;
          case 'host':
            return w.host || '–';
          case 'backend':
            return w.backend || '–';
          case 'health':
            // Older control planes do not say; then no badge rather than a guess.
            return w.healthy == null ? '–' : w.healthy ? badge(t('admin.health.healthy'), 'HEALTHY') : badge(t('admin.health.unhealthy'), 'UNHEALTHY');
          case 'load':
            return t('admin.workers.loadValue', {
              running: fmt.number(w.runningTasks),
              slots: fmt.number(w.slots),
              percent: fmt.percent(w.slots ? w.runningTasks / w.slots : null),
            });
          case 'cores':
            return fmt.number(w.cores);
          case 'hw':
            return w.hwEncoders && w.hwEncoders.length ? w.hwEncoders.join(', ') : t('common.none');
          case 'lastSeen':
            return el('time', { datetime: w.lastSeenAt, title: fmt.dateTime(w.lastSeenAt) }, fmt.relative(w.lastSeenAt));
          default:
            return '';
        }
      },
    }),
  );
}

function renderEdges(list) {
  replace(
    nodes.edges,
    table({
      id: 'edge-table',
      caption: t('admin.dashboard.edges'),
      columns: [
        { key: 'id', label: t('admin.edges.id'), rowHeader: true },
        { key: 'region', label: t('admin.edges.region') },
        { key: 'healthy', label: t('admin.edges.health') },
        { key: 'draining', label: t('admin.edges.draining') },
        { key: 'hitRatio', label: t('admin.edges.hitRatio'), num: true },
        { key: 'bytes', label: t('admin.edges.bytesServed'), num: true },
      ],
      rows: list,
      empty: t('admin.edges.none'),
      rowAttrs: (e) => ({ dataset: { edgeId: e.id, healthy: String(!!e.healthy), draining: String(!!e.draining) } }),
      cell(e, c) {
        switch (c.key) {
          case 'id':
            return el('a', { href: '/admin/edges#edge-' + e.id }, e.id);
          case 'region':
            return e.region;
          case 'healthy':
            return e.healthy ? badge(t('admin.health.healthy'), 'HEALTHY') : badge(t('admin.health.unhealthy'), 'UNHEALTHY');
          case 'draining':
            return e.draining ? badge(t('admin.edges.drainingYes'), 'DRAINING') : t('admin.edges.drainingNo');
          case 'hitRatio':
            return fmt.percent(edgeHitRatio(e.stats));
          case 'bytes':
            return fmt.bytes(edgeBytesServed(e.stats));
          default:
            return '';
        }
      },
    }),
  );
}

/** Keeps each chart's slot, so a failed source only replaces its own chart with an error. */
const chartSlots = {};
function chartSlot(key) {
  if (!chartSlots[key]) {
    chartSlots[key] = el('div', { class: 'chart-slot', dataset: { chart: key } });
    nodes.charts.append(chartSlots[key]);
  }
  return chartSlots[key];
}

function renderHistory(history) {
  const samples = history.samples || [];
  const points = (pick) => samples.map((s) => [new Date(s.at).getTime(), pick(s)]);
  replace(
    chartSlot('tasks'),
    lineChart({
      title: t('admin.chart.tasks'),
      series: [
        { name: t('admin.chart.running'), points: points((s) => s.runningTasks) },
        { name: t('admin.chart.queued'), points: points((s) => s.queuedTasks) },
      ],
    }),
  );
  replace(
    chartSlot('edges'),
    lineChart({
      title: t('admin.chart.healthyEdges'),
      series: [{ name: t('admin.chart.healthyEdges'), points: points((s) => s.healthyEdges), tone: 2 }],
      area: true,
    }),
  );
  replace(
    chartSlot('hitRatio'),
    lineChart({
      title: t('admin.chart.hitRatio'),
      series: [{ name: t('admin.chart.hitRatio'), points: points((s) => s.hitRatio), tone: 3 }],
      yFormat: (v) => fmt.percent(v),
      yMax: 1,
      area: true,
    }),
  );
}

function renderCost(cost) {
  const days = cost.days || [];
  const categories = days.map((d) => dayLabel(d.day));
  replace(
    chartSlot('traffic'),
    barChart({
      title: t('admin.chart.traffic'),
      categories,
      series: [
        { name: t('admin.chart.edgeBytes'), values: days.map((d) => d.edgeBytes) },
        { name: t('admin.chart.originBytes'), values: days.map((d) => d.originBytes), tone: 1 },
      ],
      yFormat: (v) => fmt.bytes(v),
      stacked: true,
    }),
  );
  replace(
    chartSlot('saving'),
    barChart({
      title: t('admin.chart.saving'),
      categories,
      series: [{ name: t('admin.chart.savingSeries'), values: days.map((d) => num(d.savingUsd)), tone: 2 }],
      yFormat: (v) => fmt.usd(v),
    }),
  );
}

function sectionError(key, title, error) {
  replace(chartSlot(key), el('div', { class: 'chart chart-error' }, el('p', { class: 'chart-title' }, title), loadErrorBox(error)));
}

async function refresh() {
  const [overview, history, cost, edges] = await Promise.all([
    settle(api('GET', '/api/v1/admin/overview')),
    settle(api('GET', '/api/v1/admin/overview/history')),
    settle(api('GET', '/api/v1/admin/cost?days=30')),
    settle(api('GET', '/api/v1/admin/edges')),
  ]);
  if (overview.value) {
    replace(nodes.overviewError);
    renderStats(overview.value);
    renderWorkers(overview.value.workers || []);
  } else {
    replace(nodes.overviewError, loadErrorBox(overview.error));
    replace(nodes.stats);
    // The worker list has its own older endpoint: keep the table useful without the overview.
    const workers = await settle(api('GET', '/api/v1/admin/workers'));
    if (workers.value) renderWorkers(workers.value.workers || []);
    else replace(nodes.workers, loadErrorBox(workers.error));
  }
  if (history.value) renderHistory(history.value);
  else {
    sectionError('tasks', t('admin.chart.tasks'), history.error);
    sectionError('edges', t('admin.chart.healthyEdges'), history.error);
    sectionError('hitRatio', t('admin.chart.hitRatio'), history.error);
  }
  if (cost.value) renderCost(cost.value);
  else {
    sectionError('traffic', t('admin.chart.traffic'), cost.error);
    sectionError('saving', t('admin.chart.saving'), cost.error);
  }
  if (edges.value) renderEdges(edges.value.edges || []);
  else replace(nodes.edges, loadErrorBox(edges.error));
  nodes.status.textContent = t('admin.refresh.updated', { time: fmt.time(new Date().toISOString()) });
}

poll(refresh, REFRESH_MS);
