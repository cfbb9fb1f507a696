// Overview: the platform's numbers from GET /api/v1/admin/stats, each with its 24-hour chart; refreshed every 30 s.

import { get } from '../api.js';
import { chart } from '../chart.js';
import { h, fill, fmt, errorBox, every } from '../ui.js';

const REFRESH_MS = 30000;

function card(name, label, value, sub, chartNode, wide = false) {
  return h('section', { class: `card${wide ? ' wide' : ''}`, dataset: { stat: name }, 'aria-label': label },
    h('div', { class: 'label' }, label),
    h('div', { class: 'value', dataset: { value: name } }, value),
    h('div', { class: 'sub' }, sub),
    chartNode);
}

function cards(stats) {
  const s = stats.series;
  const base = { start: s.start, bucketSeconds: s.bucket_seconds };
  const t = stats.traffic;
  const revenueSeries = s.revenue.map((r) => ({ name: `${r.provider} ${r.currency.toUpperCase()}`, values: r.amounts }));
  return [
    card('users', 'Users', fmt.int(stats.users.total),
      `${fmt.int(stats.users.active)} active · ${fmt.int(stats.users.admins)} admins`,
      chart({ ...base, kind: 'line', series: [{ name: 'users', values: s.users }], format: fmt.int, label: 'Users' })),
    card('active_api_keys', 'Active API keys', fmt.int(stats.active_api_keys), 'not revoked, not expired',
      chart({ ...base, kind: 'line', series: [{ name: 'active keys', values: s.active_api_keys }], format: fmt.int,
        label: 'Active API keys' })),
    card('running_instances', 'Running instances', fmt.int(stats.instances.running),
      Object.entries(stats.instances.running_by_provider).map(([p, n]) => `${p} ${fmt.int(n)}`).join(' · ')
        || 'none running',
      chart({ ...base, kind: 'line', series: [{ name: 'live instances', values: s.live_instances }], format: fmt.int,
        label: 'Live GPU instances' })),
    card('active_reservations', 'Active reservations', fmt.int(stats.active_reservations), 'holding GPUs now',
      chart({ ...base, kind: 'line', series: [{ name: 'reservations', values: s.active_reservations }],
        format: fmt.int, label: 'Active reservations' })),
    card('requests_per_minute', 'Requests / min', fmt.dec(t.requests_per_minute),
      `${fmt.int(t.requests)} in the last ${Math.round(t.window_seconds / 60)} min · ${fmt.int(stats.usage_24h.requests)} in 24 h`,
      chart({ ...base, series: [{ name: 'requests', values: s.requests }], format: fmt.int,
        label: 'Metered requests per hour' })),
    card('error_rate', 'Upstream error rate', fmt.percent(t.error_rate),
      t.upstream_requests === 0 ? `no upstream traffic in ${Math.round(t.window_seconds / 60)} min`
        : `${fmt.int(t.upstream_errors)} of ${fmt.int(t.upstream_requests)} attempts in ${Math.round(t.window_seconds / 60)} min`,
      chart({ ...base, series: [{ name: 'attempts', values: s.upstream_requests },
        { name: 'errors', values: s.upstream_errors, color: '#c62828' }], format: fmt.int,
      label: 'Upstream attempts and errors per hour' })),
    card('credits_sold', 'Credits sold', fmt.credits(stats.credits.sold),
      `${fmt.credits(stats.credits.granted)} granted`,
      chart({ ...base, series: [{ name: 'sold', values: s.credits_sold },
        { name: 'granted', values: s.credits_granted, color: '#1a7f37' }], format: fmt.credits,
      label: 'Credits sold and granted per hour' })),
    card('credits_spent', 'Credits spent', fmt.credits(stats.credits.spent),
      `${fmt.credits(s.credits_spent.reduce((sum, v) => sum + Number(v), 0))} in 24 h`,
      chart({ ...base, series: [{ name: 'spent', values: s.credits_spent, color: '#9a6700' }], format: fmt.credits,
        label: 'Credits spent per hour' })),
    card('revenue', 'Revenue by processor', stats.revenue.length === 0 ? '—' : '',
      stats.revenue.length === 0 ? 'No payments have succeeded yet'
        : h('ul', { class: 'revenue-list' }, stats.revenue.map((r) => h('li', { dataset: { provider: r.provider, currency: r.currency } },
          h('span', {}, `${r.provider} (${fmt.int(r.payments)} payments)`),
          h('strong', {}, fmt.money(r.amount, r.currency))))),
      revenueSeries.length === 0 ? null
        : chart({ ...base, series: revenueSeries, format: fmt.credits, label: 'Revenue per hour by processor' }),
      true),
  ];
}

export async function render(main) {
  const grid = h('div', { class: 'cards', 'aria-live': 'off' });
  const status = h('span', { class: 'muted small', id: 'overview-updated' });
  const error = h('div');
  fill(main,
    h('div', { class: 'page-head' }, h('h1', {}, 'Overview'), h('span', { class: 'spacer' }), status),
    error, grid);

  let first = true;
  const load = async () => {
    try {
      const stats = await get('/api/v1/admin/stats');
      fill(grid, cards(stats));
      error.replaceChildren();
      status.textContent = `Updated ${fmt.clock(stats.generated_at)} · refreshes every ${REFRESH_MS / 1000} s`;
    } catch (e) {
      if (e?.status === 401) {
        return;
      }
      fill(error, errorBox(e, first ? 'The statistics could not be loaded' : 'The last refresh failed'));
    } finally {
      first = false;
    }
  };
  await load();
  let started = false;
  return every(REFRESH_MS, () => {
    if (!started) {
      started = true;
      return undefined;
    }
    return load();
  });
}
