// Instances and reservations of every tenant (GET /api/v1/admin/instances, /reservations), with release on their
// behalf. Refreshed every 15 s.

import { get, del, query } from '../api.js';
import { h, fill, fmt, table, badge, loading, errorBox, toast, run, field, confirmAction, every } from '../ui.js';

const REFRESH_MS = 15000;
const state = { instances: 'live', reservations: 'live' };

const STATE_KIND = {
  running: 'ok', active: 'ok', pending: 'warn', loading: 'warn', stopped: 'warn', failed: 'bad',
  terminated: '', released: '', expired: '',
};

function stateBadge(value) {
  return badge(value, STATE_KIND[value] ?? '');
}

function gpu(i) {
  const model = i.gpu_model || 'unknown GPU';
  return `${i.gpu_count > 1 ? `${i.gpu_count}× ` : ''}${model}${i.vram_gb ? ` · ${i.vram_gb} GB` : ''}`;
}

function select(id, value, options, onchange) {
  const el = h('select', { id, onchange: () => onchange(el.value) },
    options.map(([v, label]) => h('option', { value: v, selected: v === value }, label)));
  return el;
}

export async function render(main) {
  const instances = h('div', {}, loading());
  const reservations = h('div', {}, loading());

  const loadInstances = async () => {
    try {
      const page = await get(`/api/v1/admin/instances${query({ state: state.instances, limit: 200 })}`);
      fill(instances, instanceTable(page, loadInstances),
        page.total > page.data.length ? h('p', { class: 'muted small' }, `Showing the newest ${page.data.length} of ${page.total}.`) : null);
    } catch (e) {
      if (e?.status !== 401) {
        fill(instances, errorBox(e, 'Instances could not be loaded'));
      }
    }
  };
  const loadReservations = async () => {
    try {
      const page = await get(`/api/v1/admin/reservations${query({ state: state.reservations, limit: 200 })}`);
      fill(reservations, reservationTable(page, loadReservations, loadInstances),
        page.total > page.data.length ? h('p', { class: 'muted small' }, `Showing the newest ${page.data.length} of ${page.total}.`) : null);
    } catch (e) {
      if (e?.status !== 401) {
        fill(reservations, errorBox(e, 'Reservations could not be loaded'));
      }
    }
  };

  fill(main,
    h('div', { class: 'page-head' }, h('h1', {}, 'Instances and reservations')),
    h('section', { class: 'panel', 'aria-labelledby': 'instances-h' },
      h('div', { class: 'pool-head' }, h('h2', { id: 'instances-h' }, 'GPU instances'), h('span', { class: 'spacer' }),
        field('Show', select('instances-filter', state.instances,
          [['live', 'live'], ['running', 'running'], ['ended', 'ended'], ['all', 'all']], (v) => {
            state.instances = v;
            fill(instances, loading());
            loadInstances();
          }))),
      instances),
    h('section', { class: 'panel', 'aria-labelledby': 'reservations-h' },
      h('div', { class: 'pool-head' }, h('h2', { id: 'reservations-h' }, 'Reservations'), h('span', { class: 'spacer' }),
        field('Show', select('reservations-filter', state.reservations,
          [['live', 'live'], ['active', 'active'], ['released', 'released'], ['expired', 'expired'], ['failed', 'failed'],
            ['all', 'all']], (v) => {
            state.reservations = v;
            fill(reservations, loading());
            loadReservations();
          }))),
      reservations));

  await Promise.all([loadInstances(), loadReservations()]);
  let first = true;
  return every(REFRESH_MS, async () => {
    if (first) {
      first = false;
      return;
    }
    await Promise.all([loadInstances(), loadReservations()]);
  });
}

function instanceTable(page, reload) {
  return table([
    { label: 'ID', class: 'num', cell: (i) => String(i.id) },
    { label: 'Provider', name: 'provider', cell: (i) => i.provider },
    { label: 'GPU', cell: gpu },
    { label: 'State', name: 'state', cell: (i) => stateBadge(i.state) },
    { label: 'Owner', name: 'owner', cell: (i) => h('a', { href: `#/users/${i.user_id}` }, i.user_email) },
    { label: 'Price / h', class: 'num', cell: (i) => `$${fmt.credits(i.price_per_hour)}` },
    { label: 'Age', class: 'nowrap', cell: (i) => fmt.age(i.created_at, i.ended_at) },
    { label: 'Reservation', cell: (i) => (i.reservation_id ? `#${i.reservation_id}` : '—') },
    { label: 'Endpoint', cell: (i) => (i.endpoint ? h('code', {}, i.endpoint) : '—') },
    { label: '', class: 'actions', cell: (i) => (i.ended_at ? h('span', { class: 'muted small' }, `ended ${fmt.time(i.ended_at)}`)
      : h('button', { type: 'button', class: 'danger', 'aria-label': `Release instance ${i.id}`, onclick: async (event) => {
        if (!await confirmAction(`Release instance ${i.id} (${gpu(i)} at ${i.provider}) of ${i.user_email}?`
          + ' The provider stops it and billing ends.', 'Release')) {
          return;
        }
        const released = await run(event.target, () => del(`/api/v1/admin/instances/${i.id}`));
        if (released) {
          toast(`Instance ${i.id} released (${released.state})`);
          reload();
        }
      } }, 'Release')) },
  ], page.data, { emptyText: state.instances === 'live' ? 'No GPU instance is live.' : 'No instances match.',
    key: (i) => i.id, label: 'GPU instances' });
}

function reservationTable(page, reload, reloadInstances) {
  return table([
    { label: 'ID', class: 'num', cell: (r) => String(r.id) },
    { label: 'Owner', cell: (r) => h('a', { href: `#/users/${r.user_id}` }, r.user_email) },
    { label: 'GPUs', class: 'num', cell: (r) => `${r.live_instances} / ${r.requested}` },
    { label: 'State', name: 'state', cell: (r) => stateBadge(r.state) },
    { label: 'Strategy', cell: (r) => r.strategy },
    { label: 'Model', cell: (r) => r.model || '—' },
    { label: 'Age', class: 'nowrap', cell: (r) => fmt.age(r.created_at, r.released_at) },
    { label: 'Expires', class: 'nowrap', cell: (r) => (r.released_at ? '—' : fmt.time(r.expires_at)) },
    { label: '', class: 'actions', cell: (r) => (r.released_at || r.state === 'failed' ? h('span', { class: 'muted small' }, r.state)
      : h('button', { type: 'button', class: 'danger', 'aria-label': `Release reservation ${r.id}`, onclick: async (event) => {
        if (!await confirmAction(`Release reservation ${r.id} of ${r.user_email} and its ${r.live_instances} live GPU(s)?`,
          'Release')) {
          return;
        }
        const result = await run(event.target, () => del(`/api/v1/admin/reservations/${r.id}`));
        if (result) {
          toast(result.errors?.length ? `Reservation ${r.id} released with errors: ${result.errors.join('; ')}`
            : `Reservation ${r.id} released`, result.errors?.length ? 'error' : '');
          reload();
          reloadInstances();
        }
      } }, 'Release')) },
  ], page.data, { emptyText: state.reservations === 'live' ? 'No reservation is live.' : 'No reservations match.',
    key: (r) => r.id, label: 'Reservations' });
}
