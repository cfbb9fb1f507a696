// Users: search and page through accounts, create one; a user's page (#/users/<id>) shows their keys, usage, wallet
// and ledger, and lets the operator grant credits (with a reason), make them admin, or disable them.

import { get, post, patch, query, uuid } from '../api.js';
import { h, fill, fmt, table, badge, loading, errorBox, toast, run, field, confirmAction } from '../ui.js';

const PAGE_SIZE = 25;
const state = { search: '', offset: 0 };

export async function render(main, [id]) {
  if (id) {
    return renderUser(main, Number(id));
  }
  return renderList(main);
}

function statusBadge(user) {
  return user.active ? badge('active', 'ok') : badge('disabled', 'bad');
}

async function renderList(main) {
  const search = h('input', { type: 'search', name: 'search', value: state.search, placeholder: 'email or name',
    'aria-label': 'Search users by email or name' });
  const results = h('div', { id: 'users-results' }, loading());
  const createError = h('div', { class: 'form-error' });
  const email = h('input', { type: 'email', name: 'email', required: true, autocomplete: 'off' });
  const name = h('input', { type: 'text', name: 'name', required: true, autocomplete: 'off' });
  const password = h('input', { type: 'password', name: 'password', required: true, autocomplete: 'new-password',
    minlength: 10 });
  const role = h('select', { name: 'role' }, h('option', { value: 'user' }, 'user'), h('option', { value: 'admin' }, 'admin'));
  const createButton = h('button', { type: 'submit', class: 'primary', id: 'create-user-submit' }, 'Create user');

  const load = async () => {
    fill(results, loading());
    try {
      const page = await get(`/api/v1/admin/users${query({ search: state.search, limit: PAGE_SIZE, offset: state.offset })}`);
      fill(results, usersTable(page), pager(page, load));
    } catch (e) {
      if (e?.status !== 401) {
        fill(results, errorBox(e, 'Users could not be loaded'));
      }
    }
  };

  const createForm = h('form', { id: 'create-user-form', novalidate: true, onsubmit: async (event) => {
    event.preventDefault();
    const created = await run(createButton, () => post('/api/v1/admin/users', {
      email: email.value.trim(), name: name.value.trim(), password: password.value, role: role.value,
    }), createError);
    if (created) {
      toast(`Created ${created.email}`);
      location.hash = `#/users/${created.id}`;
    }
  } },
  h('div', { class: 'form-grid' },
    field('Email', email), field('Name', name), field('Password (10+ characters)', password), field('Role', role),
    h('div', { class: 'field' }, createButton)),
  createError);

  fill(main,
    h('div', { class: 'page-head' }, h('h1', {}, 'Users')),
    h('section', { class: 'panel' },
      h('details', { id: 'create-user' }, h('summary', {}, 'New user'), createForm)),
    h('section', { class: 'panel', 'aria-label': 'User list' },
      h('form', { class: 'inline-form', role: 'search', onsubmit: (event) => {
        event.preventDefault();
        state.search = search.value.trim();
        state.offset = 0;
        load();
      } }, search, h('button', { type: 'submit' }, 'Search')),
      results));
  await load();
  return null;
}

function usersTable(page) {
  return table([
    { label: 'ID', class: 'num', cell: (u) => String(u.id) },
    { label: 'Email', name: 'email', cell: (u) => h('a', { href: `#/users/${u.id}` }, u.email) },
    { label: 'Name', cell: (u) => u.name },
    { label: 'Role', name: 'role', cell: (u) => (u.role === 'admin' ? badge('admin', 'info') : 'user') },
    { label: 'Status', name: 'status', cell: statusBadge },
    { label: 'Created', cell: (u) => h('span', { class: 'nowrap' }, fmt.time(u.created_at)) },
  ], page.data, { emptyText: state.search ? `No user matches “${state.search}”.` : 'No users yet.',
    key: (u) => u.id, label: 'Users' });
}

function pager(page, reload) {
  if (page.total <= page.limit && page.offset === 0) {
    return h('div', { class: 'pager muted small' }, `${fmt.int(page.total)} users`);
  }
  const from = page.total === 0 ? 0 : page.offset + 1;
  const to = Math.min(page.offset + page.data.length, page.total);
  return h('div', { class: 'pager' },
    h('span', { class: 'muted small' }, `${fmt.int(from)}–${fmt.int(to)} of ${fmt.int(page.total)}`),
    h('button', { type: 'button', disabled: page.offset === 0, onclick: () => {
      state.offset = Math.max(0, page.offset - page.limit);
      reload();
    } }, 'Previous'),
    h('button', { type: 'button', disabled: page.offset + page.limit >= page.total, onclick: () => {
      state.offset = page.offset + page.limit;
      reload();
    } }, 'Next'));
}

async function renderUser(main, id) {
  const [user, wallet, keys, usage] = await Promise.all([
    get(`/api/v1/admin/users/${id}`),
    get(`/api/v1/admin/users/${id}/credits`),
    get(`/api/v1/admin/users/${id}/apikeys`),
    get(`/api/v1/admin/users/${id}/usage`),
  ]);
  const actionsError = h('div', { class: 'form-error' });
  const rerender = () => renderUser(main, id).catch((e) => fill(main, errorBox(e)));

  const makeAdmin = h('button', { type: 'button', id: 'make-admin', onclick: async () => {
    if (await confirmAction(`Give ${user.email} the admin role? They will be able to do everything you can.`, 'Make admin')
        && await run(makeAdmin, () => post(`/api/v1/admin/users/${id}/admin`), actionsError)) {
      toast(`${user.email} is now an admin`);
      rerender();
    }
  } }, 'Make admin');
  const toggle = h('button', { type: 'button', id: 'toggle-active', class: user.active ? 'danger' : '', onclick: async () => {
    const disabling = user.active;
    if (disabling && !await confirmAction(`Disable ${user.email}? Their API keys and sessions stop working.`, 'Disable')) {
      return;
    }
    if (await run(toggle, () => patch(`/api/v1/admin/users/${id}`, { active: !disabling }), actionsError)) {
      toast(`${user.email} ${disabling ? 'disabled' : 'enabled'}`);
      rerender();
    }
  } }, user.active ? 'Disable' : 'Enable');

  const amount = h('input', { type: 'number', name: 'amount', min: '0.000001', step: 'any', required: true,
    inputmode: 'decimal' });
  const reason = h('input', { type: 'text', name: 'reason', required: true, maxlength: 500,
    placeholder: 'e.g. trial credits, support refund' });
  const grantError = h('div', { class: 'form-error' });
  const grantButton = h('button', { type: 'submit', class: 'primary', id: 'grant-submit' }, 'Grant credits');
  // One key per filled-in form: a double click or a retry after a timeout grants once.
  let grantKey = uuid();
  const grantForm = h('form', { id: 'grant-form', novalidate: true, onsubmit: async (event) => {
    event.preventDefault();
    if (!amount.value || Number(amount.value) <= 0) {
      fill(grantError, errorBox({ detail: 'Enter a positive amount of credits.' }));
      return;
    }
    if (!reason.value.trim()) {
      fill(grantError, errorBox({ detail: 'Give a reason: it is kept in the audit log.' }));
      return;
    }
    const entry = await run(grantButton, () => post(`/api/v1/admin/users/${id}/credits`,
      { amount: amount.value, kind: 'grant', reason: reason.value.trim() }, { headers: { 'Idempotency-Key': grantKey } }),
    grantError);
    if (entry) {
      grantKey = uuid();
      toast(`Granted ${fmt.credits(entry.amount)} credits to ${user.email}`);
      rerender();
    }
  } },
  h('div', { class: 'form-grid' }, field('Credits', amount), field('Reason', reason),
    h('div', { class: 'field' }, grantButton)),
  grantError);

  const w = wallet.wallet;
  fill(main,
    h('div', { class: 'page-head' },
      h('h1', {}, user.name), h('span', { class: 'muted' }, user.email), statusBadge(user),
      user.role === 'admin' ? badge('admin', 'info') : null,
      h('span', { class: 'spacer' }), h('a', { href: '#/users' }, '← All users')),
    h('div', { class: 'grid-2' },
      h('section', { class: 'panel', 'aria-labelledby': 'account-h' },
        h('h2', { id: 'account-h' }, 'Account'),
        h('dl', { class: 'kv' },
          h('dt', {}, 'ID'), h('dd', {}, String(user.id)),
          h('dt', {}, 'Role'), h('dd', { id: 'user-role' }, user.role),
          h('dt', {}, 'Status'), h('dd', { id: 'user-status' }, user.active ? 'active' : 'disabled'),
          h('dt', {}, 'Rate limit'), h('dd', {}, user.rate_limit_per_minute ? `${user.rate_limit_per_minute}/min` : 'default'),
          h('dt', {}, 'Quota'), h('dd', {}, quota(user)),
          h('dt', {}, 'Created'), h('dd', {}, fmt.time(user.created_at))),
        h('div', { class: 'inline-form' }, user.role === 'admin' ? null : makeAdmin, toggle),
        actionsError),
      h('section', { class: 'panel', 'aria-labelledby': 'wallet-h' },
        h('h2', { id: 'wallet-h' }, 'Credits'),
        h('dl', { class: 'kv' },
          h('dt', {}, 'Balance'), h('dd', { id: 'wallet-balance' }, fmt.credits(w.credits_remaining)),
          h('dt', {}, 'Total added'), h('dd', {}, fmt.credits(w.credits_total)),
          h('dt', {}, 'Overage'), h('dd', {}, fmt.credits(w.credits_overage)),
          h('dt', {}, 'Cap'), h('dd', {}, fmt.credits(w.credits_cap))),
        h('h3', {}, 'Grant credits'), grantForm)),
    h('section', { class: 'panel', 'aria-labelledby': 'usage-h' },
      h('h2', { id: 'usage-h' }, 'Usage'),
      usage.sessions === 0 ? h('div', { class: 'empty' }, 'No metered usage yet.')
        : h('dl', { class: 'kv' },
          h('dt', {}, 'Requests'), h('dd', {}, fmt.int(usage.requests)),
          h('dt', {}, 'Tokens in / out'), h('dd', {}, `${fmt.int(usage.tokens_in)} / ${fmt.int(usage.tokens_out)}`),
          h('dt', {}, 'GPU time'), h('dd', {}, `${fmt.dec(usage.gpu_seconds / 3600)} h`),
          h('dt', {}, 'Credits'), h('dd', {}, fmt.credits(usage.credits_micros / 1e6)),
          h('dt', {}, 'First / last'), h('dd', {}, `${fmt.time(usage.first_at)} – ${fmt.time(usage.last_at)}`))),
    h('section', { class: 'panel', 'aria-labelledby': 'keys-h' },
      h('h2', { id: 'keys-h' }, 'API keys'),
      table([
        { label: 'Name', cell: (k) => k.name },
        { label: 'Prefix', cell: (k) => h('code', {}, `gpx_${k.prefix}_…`) },
        { label: 'State', cell: keyState },
        { label: 'Last used', cell: (k) => fmt.time(k.last_used_at) },
        { label: 'Created', cell: (k) => fmt.time(k.created_at) },
      ], keys.data, { emptyText: 'This user has no API keys.', key: (k) => k.id, label: 'API keys' })),
    h('section', { class: 'panel', 'aria-labelledby': 'ledger-h' },
      h('h2', { id: 'ledger-h' }, 'Ledger', h('span', { class: 'muted small' }, 'latest 50 entries')),
      table([
        { label: 'When', cell: (e) => h('span', { class: 'nowrap' }, fmt.time(e.created_at)) },
        { label: 'Kind', name: 'kind', cell: (e) => e.kind },
        { label: 'Amount', name: 'amount', class: 'num', cell: (e) => fmt.credits(e.amount) },
        { label: 'Balance after', class: 'num', cell: (e) => fmt.credits(e.balance_after) },
        { label: 'Reference', cell: (e) => e.reference || '' },
      ], wallet.ledger.data, { emptyText: 'No ledger entries yet.', key: (e) => e.id, label: 'Ledger' })));
  return null;
}

function quota(user) {
  const parts = [];
  if (user.max_requests !== null && user.max_requests !== undefined) {
    parts.push(`${fmt.int(user.max_requests)} requests`);
  }
  if (user.max_gpu_hours !== null && user.max_gpu_hours !== undefined) {
    parts.push(`${fmt.dec(user.max_gpu_hours)} GPU h`);
  }
  return parts.length ? `${parts.join(', ')} per ${user.quota_period}` : 'none';
}

function keyState(k) {
  if (k.revoked_at) {
    return badge('revoked', 'bad');
  }
  if (k.expires_at && Date.parse(k.expires_at) <= Date.now()) {
    return badge('expired', 'warn');
  }
  return badge('active', 'ok');
}
