// /admin/edges: the edge boxes (health, stats, drain), purging a video from every box, the CIDR →
// region table with a lookup, and edge join tokens. The box list refreshes every 10 s while the tab
// is visible; drain and purge and removing a region ask first in a <dialog>.
import { t, fmt, el, replace, errorBox, api } from './app.js';
import {
  markSubnav,
  loadErrorBox,
  badge,
  table,
  poll,
  confirmDialog,
  secretBox,
  statusLine,
  edgeHitRatio,
  edgeBytesServed,
} from './admin-common.js';

const REFRESH_MS = 10_000;

markSubnav();

const $ = (id) => document.getElementById(id);
const nodes = {
  status: $('refresh-status'),
  actionStatus: $('edge-action-status'),
  list: $('edge-list'),
  purgeForm: $('purge-form'),
  purgeInput: $('purge-video-id'),
  purgeResults: $('purge-results'),
  defaultRegion: $('default-region'),
  regions: $('regions'),
  regionForm: $('region-form'),
  regionStatus: $('region-status'),
  lookupForm: $('lookup-form'),
  lookupResult: $('lookup-result'),
  joinForm: $('join-token-form'),
  joinResult: $('join-token-result'),
};

// ---- edge boxes

function stat(label, value) {
  return [el('dt', {}, label), el('dd', {}, value)];
}

function edgeCard(e) {
  const s = e.stats || {};
  const capacity = s.capacityBytes || e.capacityBytes || 0;
  const healthBadge = e.healthy ? badge(t('admin.health.healthy'), 'HEALTHY') : badge(t('admin.health.unhealthy'), 'UNHEALTHY');
  const action = e.draining ? 'undrain' : 'drain';
  const headingId = 'edge-' + e.id + '-name';
  return el(
    'article',
    {
      class: 'edge-card panel',
      id: 'edge-' + e.id,
      'aria-labelledby': headingId,
      dataset: { edgeId: e.id, healthy: String(!!e.healthy), draining: String(!!e.draining) },
    },
    el(
      'header',
      { class: 'edge-card-head' },
      el('h3', { id: headingId }, e.id),
      healthBadge,
      e.draining ? badge(t('admin.edges.drainingYes'), 'DRAINING') : null,
    ),
    el(
      'dl',
      { class: 'kv' },
      stat(t('admin.edges.region'), e.region),
      stat(t('admin.edges.publicUrl'), el('code', {}, e.publicUrl || '–')),
      stat(t('admin.edges.lastSeen'), el('time', { datetime: e.lastSeenAt, title: fmt.dateTime(e.lastSeenAt) }, fmt.relative(e.lastSeenAt))),
      stat(t('admin.edges.requests'), fmt.number(s.requests)),
      stat(t('admin.edges.hitRatio'), fmt.percent(edgeHitRatio(s))),
      stat(t('admin.edges.bytesServed'), fmt.bytes(edgeBytesServed(s))),
      stat(
        t('admin.edges.disk'),
        t('admin.edges.diskValue', {
          used: fmt.bytes(s.bytesOnDisk),
          capacity: fmt.bytes(capacity),
          percent: fmt.percent(capacity ? (s.bytesOnDisk || 0) / capacity : null),
        }),
      ),
      stat(t('admin.edges.entries'), fmt.number(s.entries)),
      stat(t('admin.edges.originErrors'), fmt.number(s.originErrors)),
      // Between the last two heartbeats; above edges.maxErrorRate the box counts as unhealthy.
      stat(t('admin.edges.errorRate'), fmt.percent(e.errorRate)),
    ),
    el(
      'div',
      { class: 'edge-card-actions' },
      el(
        'button',
        {
          type: 'button',
          class: e.draining ? 'btn' : 'btn btn-danger',
          dataset: { action, edgeId: e.id },
          on: { click: () => (e.draining ? undrain(e) : drain(e)) },
        },
        e.draining ? t('admin.edges.undrain') : t('admin.edges.drain'),
      ),
    ),
  );
}

async function drain(e) {
  const ok = await confirmDialog({
    title: t('admin.edges.drainTitle', { id: e.id }),
    message: t('admin.edges.drainText'),
    confirmLabel: t('admin.edges.drain'),
  });
  if (!ok) return;
  await setDraining(e, 'drain');
}

async function undrain(e) {
  await setDraining(e, 'undrain');
}

async function setDraining(e, action) {
  try {
    await api('POST', `/api/v1/admin/edges/${encodeURIComponent(e.id)}/${action}`);
    statusLine(nodes.actionStatus, t(action === 'drain' ? 'admin.edges.drained' : 'admin.edges.undrained', { id: e.id }));
  } catch (error) {
    replace(nodes.actionStatus, errorBox(error));
  }
  await loadEdges();
  // The button was redrawn: keep the keyboard where it was.
  const again = nodes.list.querySelector(`[data-edge-id="${CSS.escape(e.id)}"] button`);
  if (again) again.focus();
}

async function loadEdges() {
  const focused = document.activeElement;
  const focusKey = nodes.list.contains(focused) && focused.dataset ? focused.dataset.edgeId : null;
  try {
    const body = await api('GET', '/api/v1/admin/edges');
    const edges = body.edges || [];
    replace(nodes.list, edges.length ? edges.map(edgeCard) : el('p', { class: 'muted' }, t('admin.edges.none')));
    nodes.status.textContent = t('admin.refresh.updated', { time: fmt.time(new Date().toISOString()) });
  } catch (error) {
    replace(nodes.list, loadErrorBox(error));
  }
  if (focusKey) {
    const again = nodes.list.querySelector(`button[data-edge-id="${CSS.escape(focusKey)}"]`);
    if (again) again.focus();
  }
}

// ---- purge

const VIDEO_ID = /^[A-Za-z0-9_-]{11}$/;

nodes.purgeForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const id = nodes.purgeInput.value.trim();
  if (!VIDEO_ID.test(id)) {
    nodes.purgeInput.setAttribute('aria-invalid', 'true');
    statusLine(nodes.purgeResults, t('admin.purge.badId'), true);
    nodes.purgeInput.focus();
    return;
  }
  nodes.purgeInput.removeAttribute('aria-invalid');
  const ok = await confirmDialog({
    title: t('admin.purge.confirmTitle', { id }),
    message: t('admin.purge.confirmText'),
    confirmLabel: t('admin.purge.submit'),
  });
  if (!ok) return;
  replace(nodes.purgeResults, el('p', { class: 'muted', role: 'status' }, t('admin.purge.running')));
  try {
    const body = await api('POST', `/api/v1/admin/videos/${encodeURIComponent(id)}/purge`);
    const edges = body.edges || [];
    const purged = edges.filter(purgedOk).length;
    replace(
      nodes.purgeResults,
      el('p', { role: 'status', class: purged === edges.length ? 'notice' : 'error' }, t('admin.purge.summary', { purged: fmt.number(purged), total: fmt.number(edges.length), id })),
      table({
        id: 'purge-results-table',
        caption: t('admin.purge.resultsCaption', { id }),
        columns: [
          { key: 'id', label: t('admin.edges.id'), rowHeader: true },
          { key: 'status', label: t('admin.purge.status') },
          { key: 'error', label: t('admin.purge.error') },
        ],
        rows: edges,
        empty: t('admin.edges.none'),
        rowAttrs: (r) => ({ dataset: { edgeId: r.id, ok: String(purgedOk(r)) } }),
        cell(r, c) {
          if (c.key === 'id') return r.id;
          if (c.key === 'status') return purgedOk(r) ? badge(t('admin.purge.ok', { status: r.status }), 'SUCCEEDED') : badge(r.status == null ? t('admin.purge.noAnswer') : String(r.status), 'FAILED');
          return r.error || '';
        },
      }),
    );
  } catch (error) {
    replace(nodes.purgeResults, loadErrorBox(error));
  }
});

/** A box purged the video when it answered 2xx (or said "ok") and reported no error. */
function purgedOk(r) {
  if (r.error) return false;
  if (typeof r.status === 'number') return r.status >= 200 && r.status < 300;
  return typeof r.status === 'string' && /^(ok|purged|2\d\d)$/i.test(r.status);
}

// ---- regions

async function loadRegions() {
  try {
    const body = await api('GET', '/api/v1/admin/regions');
    nodes.defaultRegion.textContent = t('admin.regions.default', { region: body.defaultRegion });
    replace(
      nodes.regions,
      table({
        id: 'regions-table',
        caption: t('admin.regions.title'),
        columns: [
          { key: 'cidr', label: t('admin.regions.cidr'), rowHeader: true },
          { key: 'region', label: t('admin.regions.region') },
          { key: 'actions', label: t('admin.table.actions') },
        ],
        rows: body.regions || [],
        empty: t('admin.regions.none'),
        rowAttrs: (r) => ({ dataset: { cidr: r.cidr, region: r.region } }),
        cell(r, c) {
          if (c.key === 'cidr') return el('code', {}, r.cidr);
          if (c.key === 'region') return r.region;
          return el(
            'button',
            {
              type: 'button',
              class: 'btn btn-danger',
              dataset: { action: 'remove-region', cidr: r.cidr },
              'aria-label': t('admin.regions.removeLabel', { cidr: r.cidr }),
              on: { click: () => removeRegion(r) },
            },
            t('admin.regions.remove'),
          );
        },
      }),
    );
  } catch (error) {
    replace(nodes.regions, loadErrorBox(error));
  }
}

async function removeRegion(r) {
  const ok = await confirmDialog({
    title: t('admin.regions.removeTitle', { cidr: r.cidr }),
    message: t('admin.regions.removeText', { region: r.region }),
    confirmLabel: t('admin.regions.remove'),
  });
  if (!ok) return;
  try {
    await api('DELETE', '/api/v1/admin/regions?cidr=' + encodeURIComponent(r.cidr));
    statusLine(nodes.regionStatus, t('admin.regions.removed', { cidr: r.cidr }));
  } catch (error) {
    replace(nodes.regionStatus, errorBox(error));
  }
  await loadRegions();
  $('region-cidr').focus();
}

nodes.regionForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const cidr = $('region-cidr').value.trim();
  const region = $('region-name').value.trim();
  try {
    const body = await api('PUT', '/api/v1/admin/regions', { cidr, region });
    statusLine(nodes.regionStatus, t('admin.regions.saved', { cidr: body.cidr, region: body.region }));
    nodes.regionForm.reset();
  } catch (error) {
    replace(nodes.regionStatus, errorBox(error));
  }
  await loadRegions();
});

nodes.lookupForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const address = $('lookup-address').value.trim();
  try {
    const body = await api('GET', '/api/v1/admin/regions/lookup?address=' + encodeURIComponent(address));
    replace(
      nodes.lookupResult,
      el(
        'p',
        { class: 'notice', id: 'lookup-answer', dataset: { region: body.region, cidr: body.cidr || '' } },
        body.cidr
          ? t('admin.lookup.matched', { address: body.address, region: body.region, cidr: body.cidr })
          : t('admin.lookup.default', { address: body.address, region: body.region }),
      ),
    );
  } catch (error) {
    replace(nodes.lookupResult, errorBox(error));
  }
});

// ---- join tokens

nodes.joinForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const region = $('join-region').value.trim();
  const ttl = Number.parseInt($('join-ttl').value, 10);
  const request = { region };
  if (Number.isFinite(ttl)) request.ttlMinutes = ttl;
  try {
    const body = await api('POST', '/api/v1/admin/edges/join-tokens', request);
    const command = `bin/reelbox edge join --control-plane ${location.origin} --token ${body.token}`;
    replace(
      nodes.joinResult,
      secretBox({
        id: 'join-token',
        label: t('admin.join.token'),
        value: body.token,
        extra: el(
          'dl',
          { class: 'kv' },
          stat(t('admin.join.region'), body.region),
          stat(t('admin.join.expires'), fmt.dateTime(body.expiresAt)),
          stat(t('admin.join.origins'), (body.originUrls || []).join(', ')),
          stat(t('admin.join.command'), el('code', { class: 'command' }, command)),
        ),
      }),
    );
    $('join-token-value').focus();
  } catch (error) {
    replace(nodes.joinResult, errorBox(error));
  }
});

loadRegions();
poll(loadEdges, REFRESH_MS);
