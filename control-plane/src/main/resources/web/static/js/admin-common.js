// What every admin page shares: the admin sub-navigation, state badges, table building, a
// polling loop that rests while the tab is hidden, a confirmation <dialog> for destructive actions,
// and the "shown once" box for secrets (generated passwords, API keys, join tokens).
import { t, fmt, el, replace, errorBox, ApiError } from './app.js';

/** Marks the current admin section in the sub-navigation (templates carry the links). */
export function markSubnav() {
  const path = location.pathname;
  for (const link of document.querySelectorAll('.admin-subnav a')) {
    const href = link.getAttribute('href');
    const current = href === '/admin' ? path === '/admin' : path.startsWith(href);
    if (current) link.setAttribute('aria-current', 'page');
  }
}

/** The badge class for a state name: green when done, red when failed, amber when waiting. */
const STATE_CLASS = {
  READY: 'ok',
  SUCCEEDED: 'ok',
  HEALTHY: 'ok',
  ACTIVE: 'ok',
  FAILED: 'bad',
  UNHEALTHY: 'bad',
  DISABLED: 'bad',
  CANCELLED: 'warn',
  DRAINING: 'warn',
  RUNNING: 'info',
  PROCESSING: 'info',
  QUEUED: 'warn',
  WAITING: 'muted',
  PENDING: 'muted',
};

/** A badge with `text`, coloured by `state` (a state name, see STATE_CLASS). */
export function badge(text, state) {
  const tone = STATE_CLASS[state] || 'muted';
  return el('span', { class: 'badge badge-' + tone, dataset: { state: state || '' } }, text);
}

/** A job or task state (RUNNING, SUCCEEDED, …) as a translated badge. */
export function stateBadge(state) {
  if (!state) return badge(t('admin.state.NONE'), 'PENDING');
  return badge(t('admin.state.' + state), state);
}

/**
 * A table: `columns` [{key, label, num?}], `rows` objects, `cell(row, column)` answers a node or a
 * string, `rowAttrs(row)` extra attributes for the <tr>. Header cells are <th scope="col">; the
 * caption (visually hidden when `hideCaption`) names the table for screen readers.
 */
export function table({ id, caption, hideCaption = true, columns, rows, cell, rowAttrs, empty }) {
  const head = el(
    'thead',
    {},
    el('tr', {}, columns.map((c) => el('th', { scope: 'col', class: c.num ? 'num' : null }, c.label))),
  );
  const body = el('tbody');
  if (rows.length === 0) {
    body.append(el('tr', {}, el('td', { colspan: columns.length, class: 'muted' }, empty || t('admin.table.empty'))));
  }
  for (const row of rows) {
    const tr = el('tr', rowAttrs ? rowAttrs(row) : {});
    for (const c of columns) {
      const value = cell(row, c);
      tr.append(c.rowHeader ? el('th', { scope: 'row' }, value) : el('td', { class: c.num ? 'num' : null }, value));
    }
    body.append(tr);
  }
  return el(
    'div',
    { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': caption },
    el('table', { id }, el('caption', { class: hideCaption ? 'visually-hidden' : null }, caption), head, body),
  );
}

/**
 * Calls `tick()` now and every `intervalMs` while the page is visible; a hidden tab stops the
 * timer and a visible one ticks at once, so nobody looks at stale numbers after switching back.
 * `tick` may return false to stop for good (a job that finished). Answers `{stop, now}`.
 */
export function poll(tick, intervalMs) {
  let timer = null;
  let stopped = false;
  let running = false;
  const schedule = () => {
    clearTimeout(timer);
    if (!stopped && !document.hidden) timer = setTimeout(run, intervalMs);
  };
  async function run() {
    if (stopped || running) return;
    running = true;
    try {
      if ((await tick()) === false) stopped = true;
    } finally {
      running = false;
      schedule();
    }
  }
  document.addEventListener('visibilitychange', () => {
    if (document.hidden) clearTimeout(timer);
    else if (!stopped) run();
  });
  run();
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
    now: run,
  };
}

/**
 * Asks before a destructive action in a modal <dialog> (Escape and the Cancel button say no; focus
 * starts on Cancel so that Enter alone never destroys anything). `body` is an optional extra node
 * (form fields; then focus starts on its first field and Enter in a field confirms); `validate()`
 * may answer a message that keeps the dialog open. Answers a promise of true when confirmed.
 */
export function confirmDialog({ title, message, confirmLabel, danger = true, body = null, validate = null }) {
  return new Promise((resolve) => {
    const titleId = 'dlg-title-' + Math.random().toString(36).slice(2);
    const cancel = el('button', { type: 'button', class: 'btn', dataset: { action: 'cancel' } }, t('common.cancel'));
    const ok = el(
      'button',
      { type: 'button', class: danger ? 'btn btn-danger-solid' : 'btn btn-primary', dataset: { action: 'confirm' } },
      confirmLabel,
    );
    const dialog = el(
      'dialog',
      { class: 'confirm-dialog', 'aria-labelledby': titleId, id: 'confirm-dialog' },
      el('h2', { id: titleId }, title),
      message ? el('p', {}, message) : null,
      body,
      el('div', { class: 'dialog-actions' }, cancel, ok),
    );
    const problem = el('p', { class: 'error', role: 'alert', hidden: true });
    dialog.insertBefore(problem, dialog.lastChild);
    const opener = document.activeElement;
    let answer = false;
    cancel.addEventListener('click', () => dialog.close());
    ok.addEventListener('click', () => {
      const message = validate ? validate() : null;
      if (message) {
        problem.textContent = message;
        problem.hidden = false;
        return;
      }
      answer = true;
      dialog.close();
    });
    dialog.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && e.target instanceof HTMLInputElement) {
        e.preventDefault();
        ok.click();
      }
    });
    dialog.addEventListener('close', () => {
      dialog.remove();
      if (opener && opener.focus) opener.focus();
      resolve(answer);
    });
    document.body.append(dialog);
    dialog.showModal();
    const firstField = body && body.querySelector ? body.querySelector('input, select, textarea') : null;
    (firstField || cancel).focus();
  });
}

/**
 * A secret shown once (a generated password, an API key, a join token): a read-only field with a
 * copy button and the warning that it will not be shown again.
 */
export function secretBox({ id, label, value, extra }) {
  const inputId = (id || 'secret') + '-value';
  const input = el('input', { id: inputId, type: 'text', readonly: true, class: 'secret-value', value, spellcheck: 'false' });
  const status = el('span', { class: 'muted', role: 'status' });
  const copy = el(
    'button',
    {
      type: 'button',
      class: 'btn',
      on: {
        click: async () => {
          try {
            await navigator.clipboard.writeText(value);
            status.textContent = t('admin.secret.copied');
          } catch (e) {
            // No clipboard (an insecure context): select the text for Ctrl+C instead.
            input.select();
            status.textContent = t('admin.secret.selectToCopy');
          }
        },
      },
    },
    t('admin.secret.copy'),
  );
  return el(
    'div',
    { class: 'secret-box panel', id, role: 'region', 'aria-label': label },
    el('label', { for: inputId }, label),
    el('div', { class: 'secret-row' }, input, copy, status),
    el('p', { class: 'hint warn-text' }, t('admin.secret.once')),
    extra,
  );
}

/**
 * An error box for a failed read of a fixed admin resource: a 404 there means this control plane
 * does not offer the resource (an older version), which deserves plainer words than "not found".
 */
export function loadErrorBox(error) {
  if (error instanceof ApiError && error.status === 404) {
    return el('p', { class: 'error', role: 'alert', dataset: { status: '404' } }, t('admin.error.unavailable'));
  }
  return errorBox(error);
}

/** A short status line (role=status) that a screen reader announces. */
export function statusLine(node, text, isError = false) {
  replace(node, el('p', { class: isError ? 'error' : 'notice', role: isError ? 'alert' : 'status' }, text));
}

/** "3 of 12" style progress with a <progress> bar. */
export function progressCell(done, total) {
  return el(
    'div',
    { class: 'progress-cell' },
    el('progress', { max: Math.max(total || 0, 1), value: done || 0, 'aria-label': t('admin.jobs.progress') }),
    el('span', { class: 'muted' }, t('admin.jobs.tasksOf', { done: fmt.number(done || 0), total: fmt.number(total || 0) })),
  );
}

/** An edge box's hit ratio from its stats: bytes served from the box over all bytes it served. */
export function edgeHitRatio(stats) {
  if (!stats) return null;
  const served = (stats.hitBytes || 0) + (stats.missBytes || 0);
  return served > 0 ? stats.hitBytes / served : null;
}

/** An edge box's bytes served (from its store and through it from the origin). */
export function edgeBytesServed(stats) {
  return stats ? (stats.hitBytes || 0) + (stats.missBytes || 0) : null;
}

/** A label + control pair in the house form style. */
export function field(id, label, control, hint) {
  control.id = id;
  const hintId = hint ? id + '-hint' : null;
  if (hintId) control.setAttribute('aria-describedby', hintId);
  return el('div', { class: 'field' }, el('label', { for: id }, label), control, hint ? el('span', { class: 'hint', id: hintId }, hint) : null);
}
