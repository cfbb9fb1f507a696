// Providers: every GPU provider the server knows (GET /api/v1/admin/providers): enabled or not, how its last call
// went, its last error and live instances. "Check now" lists one offer through the normal offers API, which records
// the provider's health; the table then shows the outcome. Refreshed every 15 s.

import { get, query } from '../api.js';
import { h, fill, fmt, table, badge, errorBox, run, toast, every } from '../ui.js';

const REFRESH_MS = 15000;
const STATUS_KIND = { ok: 'ok', failing: 'bad', unknown: 'warn', disabled: '' };

export async function render(main) {
  const box = h('div');
  const error = h('div');
  const load = async () => {
    try {
      const result = await get('/api/v1/admin/providers');
      fill(box, providersTable(result.data, load));
      error.replaceChildren();
    } catch (e) {
      if (e?.status !== 401) {
        fill(error, errorBox(e, 'Providers could not be loaded'));
      }
    }
  };
  fill(main,
    h('div', { class: 'page-head' }, h('h1', {}, 'Providers')),
    h('p', { class: 'muted' }, 'Health is what the server\u2019s own calls to each provider (offer listings, instance polling)'
      + ' last saw; nothing here calls a provider unless you press Check now.'),
    error,
    h('section', { class: 'panel', 'aria-label': 'GPU providers' }, box));
  await load();
  let first = true;
  return every(REFRESH_MS, () => {
    if (first) {
      first = false;
      return undefined;
    }
    return load();
  });
}

function providersTable(rows, reload) {
  return table([
    { label: 'Provider', name: 'id', cell: (p) => h('strong', {}, p.id) },
    { label: 'Enabled', name: 'enabled', cell: (p) => (p.enabled ? badge('enabled', 'ok') : badge('not configured')) },
    { label: 'Health', name: 'status', cell: (p) => badge(p.status, STATUS_KIND[p.status] ?? '') },
    { label: 'Last error', name: 'last_error', cell: (p) => p.last_error || '—' },
    { label: 'Checked', class: 'nowrap', cell: (p) => (p.checked_at ? `${fmt.age(p.checked_at)} ago` : '—') },
    { label: 'Live instances', class: 'num', cell: (p) => fmt.int(p.live_instances) },
    { label: 'Can', cell: (p) => p.capabilities.join(', ') || '—' },
    { label: '', class: 'actions', cell: (p) => (!p.enabled ? null : h('button', { type: 'button',
      'aria-label': `Check ${p.id} now`, onclick: async (event) => {
        const result = await run(event.target, () => get(`/api/v1/gpu/instances${query({ provider: p.id, limit: 1 })}`)
          .then(() => true, (e) => {
            if (e?.status === 401) {
              throw e;
            }
            return e; // the provider failing is the answer we wanted; the table shows it
          }));
        if (result !== undefined) {
          toast(result === true ? `${p.id} answered` : `${p.id}: ${result.detail}`, result === true ? '' : 'error');
          reload();
        }
      } }, 'Check now')) },
  ], rows, { emptyText: 'No GPU provider is known to this server.', key: (p) => p.id, label: 'GPU providers' });
}
