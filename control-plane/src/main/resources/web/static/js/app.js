// The core every page module imports: messages (t), locale formatting (fmt), the API client (api),
// safe DOM building (el), and the layout's behaviour (language switcher, sign-out, role-based nav).
// No framework: pages are small and server-rendered shells that these helpers fill.
//
// Rules every page follows (docs/web-ui.md):
// - every visible string comes from t(key) (the bundles in web/i18n), never a literal;
// - text goes into the DOM as text (el(), textContent), never via innerHTML;
// - numbers, bytes, dates and durations go through fmt, in the page's language.

const bootElement = document.getElementById('rb-boot');
/** {lang, langs, user: {id, username, role} | null, csrfToken, messages} from the server. */
export const boot = JSON.parse(bootElement ? bootElement.textContent : '{}');
const messages = boot.messages || {};
export const lang = boot.lang || 'en';
export const user = boot.user || null;

/** The message `key` in the page's language, with `{name}` placeholders filled from `params`. */
export function t(key, params = {}) {
  const text = messages[key];
  if (text === undefined) {
    console.warn('missing message', key);
    return key;
  }
  return text.replace(/\{(\w+)\}/g, (m, name) => (name in params ? String(params[name]) : m));
}

const numberFormat = new Intl.NumberFormat(lang);
const percentFormat = new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 1 });
const usdFormat = new Intl.NumberFormat(lang, { style: 'currency', currency: 'USD' });
const dateTimeFormat = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' });
const dateFormat = new Intl.DateTimeFormat(lang, { dateStyle: 'medium' });
const timeFormat = new Intl.DateTimeFormat(lang, { timeStyle: 'medium' });
const relativeFormat = new Intl.RelativeTimeFormat(lang, { numeric: 'auto' });

/** Locale-aware formatting; every function accepts null/undefined and answers '–'. */
export const fmt = {
  number: (n, options) =>
    n == null ? '–' : (options ? new Intl.NumberFormat(lang, options) : numberFormat).format(n),
  percent: (ratio) => (ratio == null || Number.isNaN(ratio) ? '–' : percentFormat.format(ratio)),
  usd: (amount) => (amount == null ? '–' : usdFormat.format(amount)),
  /** Bytes in the largest unit that keeps the number ≥ 1, 1000-based as disks and networks count. */
  bytes(n) {
    if (n == null) return '–';
    const units = ['B', 'KB', 'MB', 'GB', 'TB'];
    let value = n;
    let unit = 0;
    while (value >= 1000 && unit < units.length - 1) {
      value /= 1000;
      unit++;
    }
    const digits = unit === 0 ? 0 : value < 10 ? 2 : value < 100 ? 1 : 0;
    return t('common.bytes.' + units[unit], {
      n: new Intl.NumberFormat(lang, { maximumFractionDigits: digits }).format(value),
    });
  },
  /** Bytes per second, as bytes() with "/s". */
  rate: (bytesPerSecond) => (bytesPerSecond == null ? '–' : fmt.bytes(bytesPerSecond) + '/s'),
  dateTime: (iso) => (iso ? dateTimeFormat.format(new Date(iso)) : '–'),
  date: (iso) => (iso ? dateFormat.format(new Date(iso)) : '–'),
  time: (iso) => (iso ? timeFormat.format(new Date(iso)) : '–'),
  /** "3 minutes ago", "in 2 hours". */
  relative(iso) {
    if (!iso) return '–';
    const seconds = (new Date(iso).getTime() - Date.now()) / 1000;
    const abs = Math.abs(seconds);
    if (abs < 60) return relativeFormat.format(Math.round(seconds), 'second');
    if (abs < 3600) return relativeFormat.format(Math.round(seconds / 60), 'minute');
    if (abs < 86400) return relativeFormat.format(Math.round(seconds / 3600), 'hour');
    return relativeFormat.format(Math.round(seconds / 86400), 'day');
  },
  /** A duration in milliseconds as h:mm:ss or m:ss. */
  duration(ms) {
    if (ms == null) return '–';
    const total = Math.round(ms / 1000);
    const h = Math.floor(total / 3600);
    const m = Math.floor((total % 3600) / 60);
    const s = total % 60;
    const pad = (x) => String(x).padStart(2, '0');
    return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
  },
  state: (state) => (state ? t('common.state.' + state) : '–'),
  role: (role) => (role ? t('common.role.' + role) : '–'),
};

/** An API error: the HTTP status and the server's {error, message}. */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/**
 * Calls the control plane's API with the session cookie. State-changing methods send the CSRF
 * token. Answers the parsed JSON (null for 204). Throws ApiError; a 401 on a signed-in page sends
 * the browser to the login page unless `options.allow401`.
 */
export async function api(method, path, body, options = {}) {
  const headers = { Accept: 'application/json', ...(options.headers || {}) };
  let payload = body;
  if (body !== undefined && !(body instanceof Blob) && !(body instanceof ArrayBuffer) && typeof body !== 'string') {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  if (!['GET', 'HEAD', 'OPTIONS'].includes(method) && boot.csrfToken) {
    headers['X-CSRF-Token'] = boot.csrfToken;
  }
  let response;
  try {
    response = await fetch(path, { method, headers, body: payload, credentials: 'same-origin' });
  } catch (e) {
    throw new ApiError(0, 'NETWORK', t('common.error.network'));
  }
  if (response.status === 204) return null;
  const type = response.headers.get('Content-Type') || '';
  const json = type.includes('json') ? await response.json().catch(() => null) : null;
  if (!response.ok) {
    if (response.status === 401 && !options.allow401) {
      goToLogin();
    }
    throw new ApiError(
      response.status,
      (json && json.error) || 'HTTP_' + response.status,
      (json && json.message) || response.statusText,
    );
  }
  return json;
}

/** Sends the browser to the login page, to come back here afterwards. */
export function goToLogin() {
  const next = location.pathname + location.search;
  location.assign('/login?next=' + encodeURIComponent(next));
}

/**
 * Builds an element. `attrs`: `class`, `text`, `on: {event: handler}`, `dataset: {...}`, boolean
 * attributes as true/false, anything else as an attribute. Children: nodes or strings (as text).
 */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value == null || value === false) continue;
    if (name === 'class') node.className = value;
    else if (name === 'text') node.textContent = value;
    else if (name === 'on') for (const [ev, fn] of Object.entries(value)) node.addEventListener(ev, fn);
    else if (name === 'dataset') Object.assign(node.dataset, value);
    else if (value === true) node.setAttribute(name, '');
    else node.setAttribute(name, String(value));
  }
  for (const child of children.flat()) {
    if (child == null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** Replaces the children of `node`. */
export function replace(node, ...children) {
  node.replaceChildren(...children.flat().filter((c) => c != null && c !== false));
  return node;
}

/** An error message element for `error` (an ApiError or anything thrown). */
export function errorBox(error) {
  const message = error instanceof ApiError && error.status === 0 ? error.message : t('common.error.generic', { message: error.message || String(error) });
  return el('p', { class: 'error', role: 'alert' }, message);
}

/** The path segment after `prefix` (e.g. the id in /watch/{id}). */
export function pathId(prefix) {
  const rest = location.pathname.slice(prefix.length);
  return decodeURIComponent(rest.split('/')[0] || '');
}

/**
 * Follows a video's server-sent events: `handlers.state(video)`, `handlers.progress(progress)`.
 * Answers the EventSource; the server ends the stream after READY or FAILED.
 */
export function videoEvents(id, handlers) {
  const source = new EventSource('/api/v1/videos/' + encodeURIComponent(id) + '/events');
  if (handlers.state) source.addEventListener('state', (e) => handlers.state(JSON.parse(e.data)));
  if (handlers.progress) source.addEventListener('progress', (e) => handlers.progress(JSON.parse(e.data)));
  source.onerror = () => handlers.error && handlers.error(source);
  return source;
}

function setUpLayout() {
  document.querySelectorAll('[data-signed-in]').forEach((node) => (node.hidden = !user));
  document.querySelectorAll('[data-roles]').forEach((node) => {
    node.hidden = !user || !node.dataset.roles.split(' ').includes(user.role);
  });
  const whoami = document.getElementById('whoami');
  if (whoami && user) whoami.textContent = t('common.signedInAs', { name: user.username });
  for (const link of document.querySelectorAll('.mainnav a')) {
    const href = link.getAttribute('href');
    const current = href === '/' ? location.pathname === '/' || location.pathname.startsWith('/watch/') : location.pathname.startsWith(href);
    if (current) link.setAttribute('aria-current', 'page');
  }
  const switcher = document.getElementById('lang-switch');
  if (switcher) {
    switcher.value = lang;
    switcher.addEventListener('change', () => {
      // Read by the server on every page (UiLocale); a year, so the choice persists.
      document.cookie = `reelbox_lang=${switcher.value}; Path=/; Max-Age=31536000; SameSite=Lax`;
      location.reload();
    });
  }
  const logout = document.getElementById('logout');
  if (logout) {
    logout.addEventListener('click', async () => {
      try {
        await api('DELETE', '/api/v1/session', undefined, { allow401: true });
      } catch (e) {
        // Signed out either way: the next page asks for a login if the session survived.
      }
      location.assign('/login');
    });
  }
}

setUpLayout();
