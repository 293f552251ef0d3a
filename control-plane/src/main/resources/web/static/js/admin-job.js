// /admin/jobs/{videoId}: one job's DAG and its tasks (GET /api/v1/videos/{id}/job). The plan's
// nodes are drawn as an SVG graph, one column per stage, arrows from each node's inputs (`after`),
// each node coloured by the aggregate state of its tasks with a done/total count. Selecting a node
// (click, Enter or Space) filters the task table to it. Refreshes every 2 s until the job ends.
import { t, fmt, el, replace, errorBox, api, pathId, ApiError } from './app.js';
import { markSubnav, stateBadge, table, poll } from './admin-common.js';

const REFRESH_MS = 2_000;
const FINISHED = ['SUCCEEDED', 'FAILED'];
const SVG = 'http://www.w3.org/2000/svg';
// Layout, in SVG units: node boxes, the gaps between columns (where arrows run) and rows.
const NODE_W = 176;
const NODE_H = 58;
const COL_GAP = 64;
const ROW_GAP = 16;
const PAD = 12;

markSubnav();

const videoId = pathId('/admin/jobs/');
const nodes = {
  status: document.getElementById('refresh-status'),
  summary: document.getElementById('job-summary'),
  dag: document.getElementById('dag-wrap'),
  tasksFilter: document.getElementById('tasks-filter'),
  tasks: document.getElementById('tasks'),
};
document.getElementById('job-video-id').textContent = videoId;
document.title = t('admin.job.documentTitle', { id: videoId });

let selectedNode = null;
let lastJob = null;

function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value != null) node.setAttribute(name, String(value));
  }
  for (const child of children.flat()) {
    if (child != null) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** Task counts of one node and the state the node shows. */
function aggregate(tasks) {
  const count = { WAITING: 0, QUEUED: 0, RUNNING: 0, SUCCEEDED: 0, FAILED: 0, CANCELLED: 0 };
  for (const task of tasks) count[task.state] = (count[task.state] || 0) + 1;
  const total = tasks.length;
  let state;
  if (total === 0) state = 'PENDING'; // planned; its tasks are made when its inputs finish
  else if (count.FAILED) state = 'FAILED';
  else if (count.RUNNING) state = 'RUNNING';
  else if (count.SUCCEEDED === total) state = 'SUCCEEDED';
  else if (count.CANCELLED) state = 'CANCELLED';
  else if (count.QUEUED) state = 'QUEUED';
  else if (count.SUCCEEDED) state = 'RUNNING'; // part done, the rest waiting its turn
  else state = 'WAITING';
  return { state, done: count.SUCCEEDED, total, count };
}

function shorten(text, max) {
  return text.length > max ? text.slice(0, max - 1) + '…' : text;
}

/**
 * Where an arrow that skips columns crosses them: for each column in between, the gap between its
 * boxes (or the space above or below them) nearest to the straight line, entered and left
 * horizontally, so that the arrow never runs under a box it does not belong to.
 */
function detour(columns, fromColumn, toColumn, start, end, place) {
  const points = [];
  for (let c = fromColumn + 1; c < toColumn; c++) {
    const boxes = columns[c].map((n) => place.get(n.id)).sort((a, b) => a.y - b.y);
    const x = boxes[0].x;
    const wanted = start[1] + ((end[1] - start[1]) * (c - fromColumn)) / (toColumn - fromColumn);
    const lanes = [boxes[0].y - ROW_GAP / 2, ...boxes.map((b) => b.y + NODE_H + ROW_GAP / 2)];
    const y = lanes.reduce((best, lane) => (Math.abs(lane - wanted) < Math.abs(best - wanted) ? lane : best));
    points.push([x, y], [x + NODE_W, y]);
  }
  return points;
}

/** Curves between columns (horizontal tangents), straight runs across a skipped column. */
function edgePath(points) {
  let d = `M${points[0][0]},${points[0][1]}`;
  for (let i = 1; i < points.length; i++) {
    const [x0, y0] = points[i - 1];
    const [x1, y1] = points[i];
    if (i % 2 === 0 && i < points.length - 1) {
      d += ` L${x1},${y1}`; // across a skipped column
    } else {
      const bend = (x1 - x0) / 2;
      d += ` C${x0 + bend},${y0} ${x1 - bend},${y1} ${x1},${y1}`;
    }
  }
  return d;
}

function renderDag(job) {
  const planned = job.nodes || [];
  if (planned.length === 0) {
    replace(nodes.dag, el('p', { class: 'muted' }, t('admin.job.noNodes')));
    return;
  }
  const tasksByNode = new Map(planned.map((n) => [n.id, []]));
  for (const task of job.tasks || []) {
    if (tasksByNode.has(task.node)) tasksByNode.get(task.node).push(task);
  }
  const stages = [...new Set(planned.map((n) => n.stage ?? 0))].sort((a, b) => a - b);
  const columns = stages.map((s) => planned.filter((n) => (n.stage ?? 0) === s));
  const rows = Math.max(...columns.map((c) => c.length));
  const width = PAD * 2 + columns.length * NODE_W + (columns.length - 1) * COL_GAP;
  const height = PAD * 2 + rows * NODE_H + (rows - 1) * ROW_GAP;
  const place = new Map();
  columns.forEach((column, ci) => {
    // Centre short columns against the tallest one.
    const offset = ((rows - column.length) * (NODE_H + ROW_GAP)) / 2;
    column.forEach((n, ri) => {
      place.set(n.id, { x: PAD + ci * (NODE_W + COL_GAP), y: PAD + offset + ri * (NODE_H + ROW_GAP) });
    });
  });

  const root = svg(
    'svg',
    {
      id: 'dag',
      class: 'dag',
      viewBox: `0 0 ${width} ${height}`,
      width,
      height,
      role: 'group',
      'aria-labelledby': 'dag-title',
    },
    svg('title', { id: 'dag-title' }, t('admin.job.graphTitle', { id: videoId })),
    svg(
      'defs',
      {},
      svg(
        'marker',
        { id: 'dag-arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
        svg('path', { d: 'M0,0L10,5L0,10z', class: 'dag-arrowhead' }),
      ),
    ),
  );
  const edges = svg('g', { class: 'dag-edges', 'aria-hidden': 'true' });
  const columnOf = new Map();
  columns.forEach((column, ci) => column.forEach((n) => columnOf.set(n.id, ci)));
  for (const n of planned) {
    const to = place.get(n.id);
    const inputs = (n.after || []).filter((input) => place.has(input));
    inputs.forEach((input, k) => {
      const from = place.get(input);
      // Arrows into one node spread over its left side, so that each stays distinguishable.
      const start = [from.x + NODE_W, from.y + NODE_H / 2];
      const end = [to.x - 2, to.y + (NODE_H * (k + 1)) / (inputs.length + 1)];
      const points = [start, ...detour(columns, columnOf.get(input), columnOf.get(n.id), start, end, place), end];
      edges.append(
        svg('path', {
          d: edgePath(points),
          class: 'dag-edge',
          'marker-end': 'url(#dag-arrow)',
          'data-from': input,
          'data-to': n.id,
        }),
      );
    });
  }
  root.append(edges);

  for (const n of planned) {
    const { x, y } = place.get(n.id);
    const agg = aggregate(tasksByNode.get(n.id));
    const counts = agg.total ? t('admin.job.nodeCount', { done: fmt.number(agg.done), total: fmt.number(agg.total) }) : t('admin.job.nodePlanned');
    const label = t('admin.job.nodeLabel', { id: n.id, type: n.type, state: t('admin.state.' + agg.state), counts });
    const g = svg(
      'g',
      {
        class: 'dag-node' + (selectedNode === n.id ? ' selected' : ''),
        'data-node': n.id,
        'data-state': agg.state,
        'data-done': agg.done,
        'data-total': agg.total,
        transform: `translate(${x},${y})`,
        tabindex: 0,
        role: 'button',
        'aria-pressed': String(selectedNode === n.id),
        'aria-label': label,
      },
      svg('title', {}, label),
      svg('rect', { width: NODE_W, height: NODE_H, rx: 8, class: 'dag-box' }),
      svg('text', { x: 10, y: 22, class: 'dag-id' }, shorten(n.id, 20)),
      svg('text', { x: 10, y: 44, class: 'dag-meta' }, shorten(String(n.type || '').toLowerCase(), 12) + ' · ' + counts),
    );
    if (agg.count && agg.count.FAILED) {
      g.append(svg('circle', { cx: NODE_W - 12, cy: 12, r: 5, class: 'dag-alert' }));
    }
    const toggle = () => {
      selectedNode = selectedNode === n.id ? null : n.id;
      render(lastJob, n.id);
    };
    g.addEventListener('click', toggle);
    g.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        toggle();
      }
    });
    root.append(g);
  }
  replace(nodes.dag, root, legend());
}

function legend() {
  const states = ['PENDING', 'WAITING', 'QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED'];
  return el(
    'ul',
    { class: 'dag-legend', 'aria-label': t('admin.job.legend') },
    states.map((s) => el('li', {}, el('span', { class: 'dag-swatch', dataset: { state: s }, 'aria-hidden': 'true' }), t('admin.state.' + s))),
  );
}

function renderSummary(job) {
  const tasks = job.tasks || [];
  const done = tasks.filter((x) => x.state === 'SUCCEEDED').length;
  const retries = tasks.reduce((a, x) => a + Math.max((x.attempt || 0) - 1, 0), 0);
  const started = tasks.map((x) => x.startedAt).filter(Boolean).sort()[0] || null;
  const finishedAll = tasks.map((x) => x.finishedAt).filter(Boolean).sort();
  const ended = FINISHED.includes(job.state) ? finishedAll[finishedAll.length - 1] : null;
  const elapsed = started ? (ended ? new Date(ended) : new Date()) - new Date(started) : null;
  const item = (label, value, id) => [el('dt', {}, label), el('dd', { id }, value)];
  replace(
    nodes.summary,
    el(
      'dl',
      { class: 'summary-list', id: 'job-summary-list', dataset: { state: job.state || '' } },
      item(t('admin.job.state'), stateBadge(job.state), 'job-state'),
      item(t('admin.jobs.profile'), job.profile || '–'),
      item(t('admin.jobs.progress'), t('admin.jobs.tasksOf', { done: fmt.number(done), total: fmt.number(tasks.length) }), 'job-progress'),
      item(t('admin.job.retries'), fmt.number(retries)),
      item(t('admin.job.started'), fmt.dateTime(started)),
      item(t('admin.job.elapsed'), fmt.duration(elapsed)),
    ),
  );
}

function renderTasks(job) {
  const all = job.tasks || [];
  const shown = selectedNode ? all.filter((x) => x.node === selectedNode) : all;
  replace(
    nodes.tasksFilter,
    selectedNode
      ? el(
          'p',
          { class: 'filter-note' },
          t('admin.job.filteredBy', { node: selectedNode }),
          ' ',
          el(
            'button',
            {
              type: 'button',
              class: 'btn btn-quiet',
              id: 'tasks-clear-filter',
              on: {
                click: () => {
                  const focus = selectedNode;
                  selectedNode = null;
                  render(lastJob, focus);
                },
              },
            },
            t('admin.job.showAll'),
          ),
        )
      : null,
  );
  const now = Date.now();
  replace(
    nodes.tasks,
    table({
      id: 'tasks-table',
      caption: t('admin.job.tasks'),
      columns: [
        { key: 'id', label: t('admin.task.id'), rowHeader: true },
        { key: 'node', label: t('admin.task.node') },
        { key: 'type', label: t('admin.task.type') },
        { key: 'state', label: t('admin.task.state') },
        { key: 'attempt', label: t('admin.task.attempt'), num: true },
        { key: 'worker', label: t('admin.task.worker') },
        { key: 'started', label: t('admin.task.started') },
        { key: 'duration', label: t('admin.task.duration'), num: true },
        { key: 'error', label: t('admin.task.error') },
      ],
      rows: shown,
      empty: job.state == null ? t('admin.job.noJobYet') : t('admin.job.noTasks'),
      rowAttrs: (x) => ({ dataset: { taskId: x.id, node: x.node || '', state: x.state } }),
      cell(x, c) {
        switch (c.key) {
          case 'id':
            return el('code', {}, x.id);
          case 'node':
            return x.node || '–';
          case 'type':
            return x.type || '–';
          case 'state':
            return stateBadge(x.state);
          case 'attempt': {
            const retries = Math.max((x.attempt || 0) - 1, 0);
            return retries
              ? t('admin.task.attemptRetries', { attempt: fmt.number(x.attempt), retries: fmt.number(retries) })
              : fmt.number(x.attempt || 0);
          }
          case 'worker':
            return x.workerId || '–';
          case 'started':
            return x.startedAt ? el('time', { datetime: x.startedAt }, fmt.time(x.startedAt)) : '–';
          case 'duration':
            if (x.durationMs != null) return fmt.duration(x.durationMs);
            if (x.state === 'RUNNING' && x.startedAt) {
              return el('span', { class: 'muted' }, t('admin.task.runningFor', { duration: fmt.duration(now - new Date(x.startedAt)) }));
            }
            return '–';
          case 'error':
            return x.errorCode || x.errorMessage
              ? el('span', { class: 'error' }, el('code', {}, x.errorCode || ''), x.errorMessage ? ' ' + x.errorMessage : '')
              : '';
          default:
            return '';
        }
      },
    }),
  );
}

/** Renders everything; keeps keyboard focus on the node that had it (by id) across redraws. */
function render(job, focusNode) {
  lastJob = job;
  const focused = focusNode || document.activeElement?.closest?.('[data-node]')?.getAttribute('data-node');
  renderSummary(job);
  renderDag(job);
  renderTasks(job);
  if (focused) {
    const again = nodes.dag.querySelector(`[data-node="${CSS.escape(focused)}"]`);
    if (again) again.focus();
  }
}

async function refresh() {
  try {
    const job = await api('GET', '/api/v1/videos/' + encodeURIComponent(videoId) + '/job');
    render(job);
    const finished = FINISHED.includes(job.state);
    nodes.status.textContent = finished
      ? t('admin.job.finishedAt', { state: t('admin.state.' + job.state) })
      : t('admin.refresh.live', { time: fmt.time(new Date().toISOString()) });
    return !finished;
  } catch (e) {
    replace(
      nodes.summary,
      e instanceof ApiError && e.status === 404 ? el('p', { class: 'error', role: 'alert', dataset: { status: '404' } }, t('admin.job.notFound')) : errorBox(e),
    );
    // Nothing to wait for when the video or the endpoint is not there.
    if (e instanceof ApiError && (e.status === 404 || e.status === 403 || e.status === 400)) {
      replace(nodes.dag);
      replace(nodes.tasks);
      nodes.status.textContent = '';
      return false;
    }
    return true;
  }
}

if (!videoId) {
  replace(nodes.summary, errorBox(new Error(t('admin.job.noId'))));
} else {
  poll(refresh, REFRESH_MS);
}
