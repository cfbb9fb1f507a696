// The admin page: sign-in (operators only), then one page per section, chosen by the URL fragment (#/users/12).
// Each page module exports render(main, params) and may return a function that stops its timers.

import { api, session, SESSION_ENDED } from './api.js';
import { loading, errorBox, fill } from './ui.js';
import * as overview from './pages/overview.js';
import * as users from './pages/users.js';
import * as instances from './pages/instances.js';
import * as loadbalancer from './pages/loadbalancer.js';
import * as payments from './pages/payments.js';
import * as providers from './pages/providers.js';

const PAGES = {
  overview: { module: overview, title: 'Overview' },
  users: { module: users, title: 'Users' },
  instances: { module: instances, title: 'Instances and reservations' },
  loadbalancer: { module: loadbalancer, title: 'Load balancer' },
  payments: { module: payments, title: 'Payments' },
  providers: { module: providers, title: 'Providers' },
};

const $ = (id) => document.getElementById(id);
let stopPage = null;
let pageToken = 0;

function showLogin(message, kind = '') {
  stopCurrentPage();
  $('app-view').hidden = true;
  $('login-view').hidden = false;
  const box = $('login-message');
  box.hidden = !message;
  box.textContent = message || '';
  box.className = `notice ${kind}`;
  document.title = 'Sign in · gpuproxy admin';
  $('login-email').focus();
}

function showApp() {
  const current = session.get();
  $('login-view').hidden = true;
  $('app-view').hidden = false;
  $('whoami').textContent = current?.user ? `${current.user.name} · ${current.user.email}` : '';
  route();
}

function stopCurrentPage() {
  if (stopPage) {
    stopPage();
    stopPage = null;
  }
}

async function route() {
  if (session.expired()) {
    if (session.get()) {
      session.clear();
      showLogin('Your session has expired. Please sign in again.', 'warn');
    } else {
      showLogin();
    }
    return;
  }
  const [name, ...params] = (location.hash.replace(/^#\/?/, '') || 'overview').split('/');
  if (!PAGES[name]) {
    location.replace('#/overview');
    return;
  }
  stopCurrentPage();
  const page = PAGES[name];
  document.title = `${page.title} · gpuproxy admin`;
  document.querySelectorAll('#nav a').forEach((a) => {
    if (a.dataset.route === name) {
      a.setAttribute('aria-current', 'page');
    } else {
      a.removeAttribute('aria-current');
    }
  });
  const fromNav = $('nav').contains(document.activeElement);
  closeNav();
  const main = $('main');
  if (fromNav) {
    // Keyboard and screen-reader users land on the page they chose, not back in the menu.
    main.focus();
  }
  const token = ++pageToken;
  fill(main, loading());
  try {
    const stop = await page.module.render(main, params.map(decodeURIComponent));
    if (token !== pageToken) {
      stop?.();
      return;
    }
    stopPage = stop || null;
  } catch (error) {
    if (token === pageToken && error?.status !== 401) {
      fill(main, errorBox(error, `${page.title} could not be loaded`));
    }
  }
}

function closeNav() {
  $('nav').classList.remove('open');
  $('nav-toggle').setAttribute('aria-expanded', 'false');
}

async function login(event) {
  event.preventDefault();
  const email = $('login-email').value.trim();
  const password = $('login-password').value;
  const box = $('login-message');
  if (!email || !password) {
    showLogin('Enter your email and password.', 'error');
    return;
  }
  const button = $('login-submit');
  button.disabled = true;
  button.textContent = 'Signing in…';
  try {
    const result = await api('POST', '/api/v1/auth/login', { email, password }, { anonymous: true });
    if (result.user?.role !== 'admin') {
      // Not an operator: end the session the server just opened, and say why.
      fetch('/api/v1/auth/logout', {
        method: 'POST',
        headers: { Authorization: `Bearer ${result.tokens.access_token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ refresh_token: result.tokens.refresh_token }),
      }).catch(() => {});
      showLogin(`${result.user?.email || email} is not an operator account: the admin page needs the admin role.`
        + ' Ask an administrator to grant it.', 'error');
      return;
    }
    session.set({ ...result.tokens, user: result.user });
    $('login-password').value = '';
    box.hidden = true;
    if (!location.hash || location.hash === '#' || location.hash === '#/') {
      history.replaceState(null, '', '#/overview');
    }
    showApp();
  } catch (error) {
    showLogin(error.detail || String(error), 'error');
  } finally {
    button.disabled = false;
    button.textContent = 'Sign in';
  }
}

async function logout() {
  const current = session.get();
  session.clear();
  showLogin('You are signed out.');
  if (current) {
    fetch('/api/v1/auth/logout', {
      method: 'POST',
      headers: { Authorization: `Bearer ${current.access_token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ refresh_token: current.refresh_token }),
    }).catch(() => {});
  }
}

function start() {
  // The skip link must not change the URL fragment: that is the router's.
  document.querySelector('.skip').addEventListener('click', (event) => {
    event.preventDefault();
    $('main').focus();
  });
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && $('nav').classList.contains('open')) {
      closeNav();
      $('nav-toggle').focus();
    }
  });
  $('login-form').addEventListener('submit', login);
  $('logout').addEventListener('click', logout);
  $('nav-toggle').addEventListener('click', () => {
    const open = $('nav').classList.toggle('open');
    $('nav-toggle').setAttribute('aria-expanded', String(open));
  });
  window.addEventListener('hashchange', () => {
    if (!$('app-view').hidden) {
      route();
    }
  });
  window.addEventListener(SESSION_ENDED, (event) => showLogin(event.detail.message, 'warn'));
  // Expiry is also noticed without any request: check every 15 s.
  setInterval(() => {
    if (!$('app-view').hidden && session.expired()) {
      session.clear();
      showLogin('Your session has expired. Please sign in again.', 'warn');
    }
  }, 15000);
  if (session.get() && !session.expired()) {
    showApp();
  } else if (session.get()) {
    session.clear();
    showLogin('Your session has expired. Please sign in again.', 'warn');
  } else {
    showLogin();
  }
}

start();
