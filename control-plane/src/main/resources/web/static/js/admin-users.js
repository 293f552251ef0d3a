// /admin/users: accounts. Create (a generated password is shown once), change a role, reset a
// password, disable or enable (PATCH /api/v1/users/{id}), and create an API key for someone (shown
// once). The server refuses an admin disabling or demoting themself (409); the page does not offer
// it either.
import { t, fmt, el, replace, errorBox, api, user as me } from './app.js';
import { markSubnav, loadErrorBox, badge, table, confirmDialog, secretBox, statusLine, field } from './admin-common.js';

const PAGE_SIZE = 100;
const ROLES = ['VIEWER', 'CREATOR', 'ADMIN'];
const MIN_PASSWORD = 8;

markSubnav();

const $ = (id) => document.getElementById(id);
const nodes = {
  list: $('users'),
  status: $('user-status'),
  secret: $('user-secret'),
  form: $('user-create-form'),
  prev: $('users-prev'),
  next: $('users-next'),
  page: $('users-page'),
};
let offset = 0;

/** A password the browser makes (192 bits, base64url), for a reset without typing one. */
function generatePassword() {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function showSecret(id, label, value) {
  replace(nodes.secret, secretBox({ id, label, value }));
  $(id + '-value').focus();
}

async function load() {
  nodes.list.setAttribute('aria-busy', 'true');
  try {
    const body = await api('GET', `/api/v1/users?offset=${offset}&limit=${PAGE_SIZE}`);
    const users = body.users || [];
    render(users);
    nodes.prev.disabled = offset === 0;
    nodes.next.disabled = users.length < PAGE_SIZE;
    nodes.page.textContent = users.length
      ? t('admin.pager.range', { from: fmt.number(offset + 1), to: fmt.number(offset + users.length) })
      : '';
  } catch (error) {
    replace(nodes.list, loadErrorBox(error));
  } finally {
    nodes.list.setAttribute('aria-busy', 'false');
  }
}

function render(users) {
  replace(
    nodes.list,
    table({
      id: 'users-table',
      caption: t('admin.users.list'),
      columns: [
        { key: 'username', label: t('admin.users.username'), rowHeader: true },
        { key: 'role', label: t('admin.users.role') },
        { key: 'status', label: t('admin.users.status') },
        { key: 'created', label: t('admin.users.created') },
        { key: 'actions', label: t('admin.table.actions') },
      ],
      rows: users,
      empty: t('admin.users.none'),
      rowAttrs: (u) => ({ dataset: { userId: String(u.id), role: u.role, disabled: String(!!u.disabled) } }),
      cell(u, c) {
        const self = me && me.id === u.id;
        switch (c.key) {
          case 'username':
            return [u.username, self ? el('span', { class: 'muted' }, ' ' + t('admin.users.you')) : null];
          case 'role':
            return roleSelect(u, self);
          case 'status':
            return u.disabled ? badge(t('admin.users.disabled'), 'DISABLED') : badge(t('admin.users.active'), 'ACTIVE');
          case 'created':
            return el('time', { datetime: u.createdAt }, fmt.date(u.createdAt));
          case 'actions':
            return el(
              'div',
              { class: 'row-actions' },
              el(
                'button',
                { type: 'button', class: 'btn', dataset: { action: 'reset-password', userId: String(u.id) }, on: { click: () => resetPassword(u) } },
                t('admin.users.resetPassword'),
              ),
              el(
                'button',
                {
                  type: 'button',
                  class: u.disabled ? 'btn' : 'btn btn-danger',
                  disabled: self,
                  title: self ? t('admin.users.notSelf') : null,
                  dataset: { action: u.disabled ? 'enable' : 'disable', userId: String(u.id) },
                  on: { click: () => setDisabled(u, !u.disabled) },
                },
                u.disabled ? t('admin.users.enable') : t('admin.users.disable'),
              ),
              el(
                'button',
                { type: 'button', class: 'btn', dataset: { action: 'api-key', userId: String(u.id) }, on: { click: () => createKey(u) } },
                t('admin.users.apiKey'),
              ),
            );
          default:
            return '';
        }
      },
    }),
  );
}

function roleSelect(u, self) {
  const select = el(
    'select',
    {
      'aria-label': t('admin.users.roleOf', { name: u.username }),
      disabled: self,
      title: self ? t('admin.users.notSelf') : null,
      dataset: { action: 'role', userId: String(u.id) },
    },
    ROLES.map((r) => el('option', { value: r, selected: r === u.role }, fmt.role(r))),
  );
  select.addEventListener('change', async () => {
    const role = select.value;
    try {
      await patch(u, { role });
      statusLine(nodes.status, t('admin.users.roleChanged', { name: u.username, role: fmt.role(role) }));
      u.role = role;
    } catch (error) {
      select.value = u.role;
      replace(nodes.status, errorBox(error));
    }
  });
  return select;
}

function patch(u, body) {
  return api('PATCH', '/api/v1/users/' + encodeURIComponent(u.id), body);
}

async function resetPassword(u) {
  const input = el('input', { type: 'password', autocomplete: 'new-password', minlength: MIN_PASSWORD });
  const wrapper = el('div', {}, field('reset-password-input', t('admin.users.newPassword'), input, t('admin.users.newPasswordHint')));
  const ok = await confirmDialog({
    title: t('admin.users.resetTitle', { name: u.username }),
    message: t('admin.users.resetText'),
    confirmLabel: t('admin.users.resetPassword'),
    danger: false,
    body: wrapper,
    validate: () => (input.value && input.value.length < MIN_PASSWORD ? t('admin.users.passwordTooShort', { n: MIN_PASSWORD }) : null),
  });
  if (!ok) return;
  const chosen = input.value;
  const password = chosen || generatePassword();
  try {
    await patch(u, { password });
    statusLine(nodes.status, t('admin.users.passwordReset', { name: u.username }));
    if (chosen) replace(nodes.secret);
    else showSecret('user-secret-password', t('admin.users.newPasswordFor', { name: u.username }), password);
  } catch (error) {
    replace(nodes.status, errorBox(error));
  }
}

async function setDisabled(u, disabled) {
  if (disabled) {
    const ok = await confirmDialog({
      title: t('admin.users.disableTitle', { name: u.username }),
      message: t('admin.users.disableText'),
      confirmLabel: t('admin.users.disable'),
    });
    if (!ok) return;
  }
  try {
    await patch(u, { disabled });
    statusLine(nodes.status, t(disabled ? 'admin.users.disabledDone' : 'admin.users.enabledDone', { name: u.username }));
  } catch (error) {
    replace(nodes.status, errorBox(error));
  }
  await load();
  const again = nodes.list.querySelector(`tr[data-user-id="${u.id}"] [data-action="${disabled ? 'enable' : 'disable'}"]`);
  if (again) again.focus();
}

async function createKey(u) {
  const input = el('input', { type: 'text', autocomplete: 'off', maxlength: 64, required: true });
  const wrapper = el('div', {}, field('api-key-name', t('admin.users.keyName'), input, t('admin.users.keyNameHint')));
  const ok = await confirmDialog({
    title: t('admin.users.keyTitle', { name: u.username }),
    message: null,
    confirmLabel: t('admin.users.keyCreate'),
    danger: false,
    body: wrapper,
    validate: () => (input.value.trim() ? null : t('admin.users.keyNameRequired')),
  });
  if (!ok) return;
  try {
    const key = await api('POST', `/api/v1/users/${encodeURIComponent(u.id)}/keys`, { name: input.value.trim() });
    statusLine(nodes.status, t('admin.users.keyCreated', { name: u.username, key: key.name }));
    showSecret('user-secret-key', t('admin.users.keyFor', { name: u.username, key: key.name }), key.key);
  } catch (error) {
    replace(nodes.status, errorBox(error));
  }
}

nodes.form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const username = $('new-username').value.trim();
  const role = $('new-role').value;
  const password = $('new-password').value;
  if (password && password.length < MIN_PASSWORD) {
    statusLine(nodes.status, t('admin.users.passwordTooShort', { n: MIN_PASSWORD }), true);
    $('new-password').focus();
    return;
  }
  const request = { username, role };
  if (password) request.password = password;
  try {
    const created = await api('POST', '/api/v1/users', request);
    nodes.form.reset();
    statusLine(nodes.status, t('admin.users.createdDone', { name: created.username, role: fmt.role(created.role) }));
    if (created.password) {
      showSecret('user-secret-password', t('admin.users.generatedPasswordFor', { name: created.username }), created.password);
    } else {
      replace(nodes.secret);
    }
  } catch (error) {
    replace(nodes.status, errorBox(error));
  }
  await load();
});

nodes.prev.addEventListener('click', () => {
  offset = Math.max(0, offset - PAGE_SIZE);
  load();
});
nodes.next.addEventListener('click', () => {
  offset += PAGE_SIZE;
  load();
});

load();
