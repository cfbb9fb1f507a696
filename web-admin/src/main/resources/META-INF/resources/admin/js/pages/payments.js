// Payments: every tenant's transactions by processor and status (GET /api/v1/admin/payments), with totals per
// processor, status and currency, and which processors this server has configured.

import { get, query } from '../api.js';
import { h, fill, fmt, table, badge, loading, errorBox, field } from '../ui.js';

const PAGE_SIZE = 50;
const state = { provider: '', status: '', offset: 0 };
const STATUS_KIND = { succeeded: 'ok', pending: 'warn', failed: 'bad', refunded: '', disputed: 'bad', canceled: '' };

function select(id, value, options, onchange) {
  const el = h('select', { id, onchange: () => onchange(el.value) },
    options.map(([v, label]) => h('option', { value: v, selected: v === value }, label)));
  return el;
}

export async function render(main) {
  const head = h('div');
  const list = h('div', {}, loading());

  const load = async () => {
    fill(list, loading());
    try {
      const page = await get(`/api/v1/admin/payments${query({ provider: state.provider, status: state.status,
        limit: PAGE_SIZE, offset: state.offset })}`);
      fill(head, processorsPanel(page), summaryPanel(page));
      fill(list, paymentsTable(page), pager(page, load));
    } catch (e) {
      if (e?.status !== 401) {
        fill(list, errorBox(e, 'Payments could not be loaded'));
      }
    }
  };

  const filters = h('div', { class: 'inline-form' },
    field('Processor', select('payments-provider', state.provider,
      [['', 'all'], ['stripe', 'stripe'], ['crypto', 'crypto'], ['afterdark', 'afterdark']], (v) => {
        state.provider = v;
        state.offset = 0;
        load();
      })),
    field('Status', select('payments-status', state.status,
      [['', 'all'], ...['succeeded', 'pending', 'failed', 'refunded', 'disputed', 'canceled'].map((s) => [s, s])], (v) => {
        state.status = v;
        state.offset = 0;
        load();
      })));

  fill(main,
    h('div', { class: 'page-head' }, h('h1', {}, 'Payments')),
    head,
    h('section', { class: 'panel', 'aria-labelledby': 'transactions-h' },
      h('div', { class: 'pool-head' }, h('h2', { id: 'transactions-h' }, 'Transactions'), h('span', { class: 'spacer' }), filters),
      list));
  await load();
  return null;
}

function processorsPanel(page) {
  return h('section', { class: 'panel', 'aria-labelledby': 'processors-h' },
    h('h2', { id: 'processors-h' }, 'Processors'),
    h('div', { class: 'inline-form' }, page.processors.map((p) => h('span', { dataset: { processor: p.provider } },
      `${p.provider} `, p.enabled ? badge('configured', 'ok') : badge('not configured')))));
}

function summaryPanel(page) {
  return h('section', { class: 'panel', 'aria-labelledby': 'summary-h' },
    h('h2', { id: 'summary-h' }, 'By processor and status'),
    table([
      { label: 'Processor', cell: (s) => s.provider },
      { label: 'Status', cell: (s) => badge(s.status, STATUS_KIND[s.status] ?? '') },
      { label: 'Payments', class: 'num', cell: (s) => fmt.int(s.count) },
      { label: 'Amount', class: 'num', cell: (s) => fmt.money(s.amount, s.currency) },
      { label: 'Credits', class: 'num', cell: (s) => fmt.credits(s.credits) },
    ], page.summary, { emptyText: 'No payments yet.', label: 'Payments by processor and status' }));
}

function paymentsTable(page) {
  return table([
    { label: 'ID', class: 'num', cell: (r) => String(r.payment.id) },
    { label: 'Created', class: 'nowrap', cell: (r) => fmt.time(r.payment.created_at) },
    { label: 'User', cell: (r) => h('a', { href: `#/users/${r.user_id}` }, r.user_email) },
    { label: 'Processor', name: 'provider', cell: (r) => r.payment.provider },
    { label: 'Status', name: 'status', cell: (r) => badge(r.payment.status, STATUS_KIND[r.payment.status] ?? '') },
    { label: 'Amount', class: 'num', cell: (r) => fmt.money(r.payment.amount, r.payment.currency) },
    { label: 'Credits', class: 'num', cell: (r) => fmt.credits(r.payment.credits) },
    { label: 'Reference', cell: (r) => (r.payment.external_id ? h('code', {}, r.payment.external_id) : '—') },
  ], page.data, { emptyText: state.provider || state.status ? 'No payments match these filters.' : 'No payments yet.',
    key: (r) => r.payment.id, label: 'Payments' });
}

function pager(page, reload) {
  if (page.total <= page.limit && page.offset === 0) {
    return h('div', { class: 'pager muted small' }, `${fmt.int(page.total)} payments`);
  }
  const to = Math.min(page.offset + page.data.length, page.total);
  return h('div', { class: 'pager' },
    h('span', { class: 'muted small' }, `${fmt.int(page.offset + 1)}–${fmt.int(to)} of ${fmt.int(page.total)}`),
    h('button', { type: 'button', disabled: page.offset === 0, onclick: () => {
      state.offset = Math.max(0, page.offset - page.limit);
      reload();
    } }, 'Previous'),
    h('button', { type: 'button', disabled: page.offset + page.limit >= page.total, onclick: () => {
      state.offset = page.offset + page.limit;
      reload();
    } }, 'Next'));
}
