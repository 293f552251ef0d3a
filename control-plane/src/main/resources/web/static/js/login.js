// Page module for /login (docs/web-ui.md, "Sessions, CSRF, login"): posts the credentials to
// /api/v1/session and, on success, goes to `next` when it is a path on this site, else home.
import { t, fmt } from './app.js';

const form = document.getElementById('login-form');
const username = document.getElementById('username');
const password = document.getElementById('password');
const submit = document.getElementById('login-submit');
const errorLine = document.getElementById('login-error');
let retryTimer = null;

/**
 * Where to go after signing in: `next` only when it is a local path (one leading "/", not "//" or
 * "/\", which browsers read as another host), so a crafted login link cannot send anyone away.
 */
export function safeNext(raw) {
  if (typeof raw !== 'string' || !/^\/(?![/\\])/.test(raw)) return '/';
  try {
    const url = new URL(raw, location.origin);
    return url.origin === location.origin ? url.pathname + url.search + url.hash : '/';
  } catch (e) {
    return '/';
  }
}

function showError(code, text) {
  errorLine.dataset.code = code;
  errorLine.textContent = text;
}

/** Refuses the form until `seconds` have passed (the server's Retry-After). */
function holdOff(seconds) {
  clearTimeout(retryTimer);
  submit.disabled = true;
  retryTimer = setTimeout(() => {
    submit.disabled = false;
    showError('', '');
  }, seconds * 1000);
}

async function signIn(event) {
  event.preventDefault();
  if (!username.value.trim() || !password.value) {
    showError('MISSING', t('login.error.missing'));
    (username.value.trim() ? password : username).focus();
    return;
  }
  submit.disabled = true;
  showError('', '');
  let response;
  try {
    // fetch rather than api(): the answer's Retry-After header is needed, and a 401 here is an
    // answer to show, not a reason to go to the login page.
    response = await fetch('/api/v1/session', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ username: username.value.trim(), password: password.value }),
      credentials: 'same-origin',
    });
  } catch (e) {
    submit.disabled = false;
    showError('NETWORK', t('common.error.network'));
    return;
  }
  if (response.ok) {
    location.assign(safeNext(new URLSearchParams(location.search).get('next')));
    return;
  }
  const body = await response.json().catch(() => ({}));
  const code = (body && body.error) || 'HTTP_' + response.status;
  submit.disabled = false;
  if (code === 'INVALID_CREDENTIALS') {
    showError(code, t('login.error.invalid'));
    password.value = '';
    password.focus();
  } else if (code === 'TOO_MANY_REQUESTS') {
    const seconds = Math.max(1, Number.parseInt(response.headers.get('Retry-After'), 10) || 60);
    const when = fmt.relative(new Date(Date.now() + seconds * 1000).toISOString());
    showError(code, t('login.error.tooMany', { when }));
    holdOff(seconds);
  } else {
    showError(code, t('common.error.generic', { message: (body && body.message) || response.statusText }));
  }
}

form.addEventListener('submit', signIn);
username.focus();
