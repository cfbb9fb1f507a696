// Load balancer: pools and backends with their live state (GET /api/v1/admin/pools, polled every 3 s and updated in
// place, so nothing moves while it updates), the strategy of each pool and the global default
// (PUT /api/v1/loadbalancer/strategy), adding and removing pools and backends, re-enabling refused keys.

import { get, post, put, del } from '../api.js';
import { h, fill, fmt, badge, errorBox, toast, run, field, confirmAction, every, empty } from '../ui.js';

const POLL_MS = 3000;
const KINDS = ['openai', 'anthropic', 'openinference', 'mcp', 'http'];

/** The reference PUT /strategy takes: a global pool by name, a tenant's private pool by id. */
function poolRef(pool) {
  return pool.owner_user_id == null ? pool.name : String(pool.id);
}

function statusCell(b) {
  if (b.ejected) {
    return h('span', {}, badge('ejected', 'bad'),
      b.ejected_until ? h('span', { class: 'muted small' }, ` until ${fmt.clock(b.ejected_until)}`) : null);
  }
  if (b.consecutive_failures > 0) {
    return badge('failing', 'warn');
  }
  return badge('healthy', 'ok');
}

function keysCell(b) {
  if (!b.keys || b.keys.length === 0) {
    return h('span', { class: 'muted' }, '—');
  }
  return h('ul', { class: 'keys' }, b.keys.map((k) => {
    let status;
    if (k.disabled) {
      status = badge(`disabled${k.disabled_reason ? `: ${k.disabled_reason}` : ''}`, 'bad');
    } else if (k.cooldown_until) {
      status = badge(`cooldown until ${fmt.clock(k.cooldown_until)}`, 'warn');
    } else {
      status = badge('ready', 'ok');
    }
    return h('li', {}, h('code', {}, k.key), ' ', status,
      h('span', { class: 'muted small' }, ` ${fmt.int(k.requests)} req · ${fmt.int(k.rate_limited)}×429`
        + `${k.tokens_left != null ? ` · ${fmt.int(k.tokens_left)} left` : ''}`));
  }));
}

/** Cells that change while the page is open: recomputed on every poll, in place. */
const LIVE = {
  in_flight: (b) => fmt.int(b.in_flight),
  requests: (b) => fmt.int(b.requests),
  errors: (b) => fmt.int(b.errors),
  latency: (b) => fmt.ms(b.ewma_latency_ms),
  ttft: (b) => fmt.ms(b.ttft_ms),
  failures: (b) => fmt.int(b.consecutive_failures),
  status: statusCell,
  keys: keysCell,
};

function setCell(td, content) {
  if (typeof content === 'string') {
    if (td.textContent !== content) {
      td.textContent = content;
    }
  } else {
    td.replaceChildren(content);
  }
}

/** What decides the page's structure: when it changes, the pools are drawn again. */
function signature(pools) {
  return JSON.stringify(pools.map((p) => [p.id, p.name, p.strategy, p.backends.map((b) => [b.id, (b.keys || []).length,
    (b.keys || []).some((k) => k.disabled)])]));
}

export async function render(main) {
  const [pools, strategy] = await Promise.all([get('/api/v1/admin/pools'), get('/api/v1/loadbalancer/strategy')]);
  const valid = strategy.valid;
  const liveDot = h('span', { class: 'live-dot', 'aria-hidden': 'true' });
  const liveText = h('span', { id: 'lb-updated' }, 'live');
  const pollError = h('div', { 'aria-live': 'polite' });
  const poolsBox = h('div', { id: 'pools' });
  let drawn = '';
  let forms = null;

  const strategySelect = (id, current, label) => h('select', { id, 'aria-label': label },
    valid.map((name) => h('option', { value: name, selected: name === current }, name)));

  // Global default strategy
  const globalSelect = strategySelect('global-strategy', strategy.strategy, 'Default strategy');
  const globalCurrent = h('strong', { id: 'global-strategy-current' }, strategy.strategy);
  const globalError = h('div', { class: 'form-error' });
  const globalApply = h('button', { type: 'submit', id: 'global-strategy-apply' }, 'Apply');
  const globalForm = h('form', { class: 'inline-form', onsubmit: async (event) => {
    event.preventDefault();
    const result = await run(globalApply, () => put('/api/v1/loadbalancer/strategy', { strategy: globalSelect.value }),
      globalError);
    if (result) {
      globalCurrent.textContent = result.strategy;
      toast(`Default strategy is now ${result.strategy}`);
    }
  } }, h('label', { for: 'global-strategy' }, 'Default for pools without their own:'), globalSelect, globalApply);

  const poll = async () => {
    try {
      const latest = await get('/api/v1/admin/pools');
      draw(latest.data);
      pollError.replaceChildren();
      liveDot.className = 'live-dot';
      liveText.textContent = `live · updated ${new Date().toLocaleTimeString('en-GB')}`;
    } catch (e) {
      if (e?.status === 401) {
        return;
      }
      liveDot.className = 'live-dot stale';
      liveText.textContent = 'not updating';
      fill(pollError, errorBox(e, 'Live update failed (retrying)'));
    }
  };

  function draw(list) {
    const sig = signature(list);
    if (sig !== drawn) {
      drawn = sig;
      forms?.setPools(list);
      fill(poolsBox, list.length === 0
        ? h('section', { class: 'panel' }, empty('No pools yet: add one above, or declare them in BACKENDS_FILE.'))
        : list.map((pool) => poolPanel(pool)));
      return;
    }
    for (const pool of list) {
      for (const b of pool.backends) {
        const row = poolsBox.querySelector(`tr[data-backend="${b.id}"]`);
        if (!row) {
          continue;
        }
        for (const [col, compute] of Object.entries(LIVE)) {
          const td = row.querySelector(`td[data-col="${col}"]`);
          if (td) {
            setCell(td, compute(b));
          }
        }
        row.dataset.ejected = String(b.ejected);
      }
    }
  }

  function poolPanel(pool) {
    const select = strategySelect(`strategy-${pool.id}`, pool.strategy, `Strategy of pool ${pool.name}`);
    const error = h('div', { class: 'form-error' });
    const apply = h('button', { type: 'submit', id: `strategy-apply-${pool.id}` }, 'Apply');
    const remove = pool.source === 'api' && pool.owner_user_id == null
      ? h('button', { type: 'button', class: 'danger', onclick: async () => {
        if (await confirmAction(`Remove pool ${pool.name} and its ${pool.backends.length} backend(s)?`, 'Remove pool')
          && await run(remove, () => del(`/api/v1/admin/pools/${pool.id}`), error) !== undefined) {
          toast(`Pool ${pool.name} removed`);
          poll();
        }
      } }, 'Remove pool')
      : null;
    return h('section', { class: 'panel', dataset: { pool: pool.name, poolId: String(pool.id) },
      'aria-labelledby': `pool-h-${pool.id}` },
    h('div', { class: 'pool-head' },
      h('h2', { id: `pool-h-${pool.id}` }, pool.name),
      pool.owner_user_id != null ? badge(`private · user ${pool.owner_user_id}`, 'info') : badge('global'),
      pool.source === 'config' ? badge('from configuration') : null,
      pool.aliases?.length ? h('span', { class: 'muted small' }, `aliases: ${pool.aliases.join(', ')}`) : null,
      h('span', { class: 'spacer' }),
      h('form', { class: 'inline-form', onsubmit: async (event) => {
        event.preventDefault();
        const result = await run(apply, () => put('/api/v1/loadbalancer/strategy',
          { strategy: select.value, pool: poolRef(pool) }), error);
        if (result) {
          toast(`Pool ${pool.name} now uses ${result.strategy}`);
          poll();
        }
      } }, h('label', { for: select.id }, 'Strategy'), select, apply),
      remove),
    error,
    backendsTable(pool, poll));
  }

  forms = addForms(pools.data, valid, poll);
  fill(main,
    h('div', { class: 'page-head' }, h('h1', {}, 'Load balancer'), h('span', { class: 'spacer' }),
      h('span', { class: 'muted small', 'aria-live': 'off' }, liveDot, liveText)),
    h('section', { class: 'panel', 'aria-label': 'Default strategy' },
      h('div', { class: 'pool-head' }, h('h2', {}, 'Default strategy'), h('span', { class: 'muted' }, 'now: ', globalCurrent)),
      globalForm, globalError),
    forms.node,
    pollError,
    poolsBox);
  draw(pools.data);
  liveText.textContent = `live · updated ${new Date().toLocaleTimeString('en-GB')}`;
  let first = true;
  return every(POLL_MS, () => {
    if (first) {
      first = false;
      return undefined;
    }
    return poll();
  });
}

function backendsTable(pool, reload) {
  if (pool.backends.length === 0) {
    return empty('No backends in this pool.');
  }
  const columns = [
    ['Backend', 'backend', '', (b) => h('div', {}, h('code', {}, b.url),
      h('div', { class: 'muted small' }, `#${b.id} · ${b.kind} · weight ${fmt.dec(b.weight)}`
        + `${b.instance_id ? ` · instance ${b.instance_id}` : ''}`))],
    ['In flight', 'in_flight', 'num', LIVE.in_flight],
    ['Requests', 'requests', 'num', LIVE.requests],
    ['Errors', 'errors', 'num', LIVE.errors],
    ['Latency', 'latency', 'num nowrap', LIVE.latency, 'EWMA of response time (peak-sensitive)'],
    ['TTFT', 'ttft', 'num nowrap', LIVE.ttft, 'EWMA of time to first token of streams'],
    ['Streak', 'failures', 'num', LIVE.failures, 'consecutive failures (5 eject the backend)'],
    ['Status', 'status', 'nowrap', LIVE.status],
    ['Keys', 'keys', '', LIVE.keys],
  ];
  return h('div', { class: 'table-wrap' }, h('table', { class: 'stack', 'aria-label': `Backends of ${pool.name}` },
    h('thead', {}, h('tr', {}, columns.map(([label, , cls, , title]) => h('th', { class: cls, scope: 'col', title }, label)),
      h('th', { scope: 'col' }, h('span', { class: 'muted' }, 'Actions')))),
    h('tbody', {}, pool.backends.map((b) => h('tr', { dataset: { backend: String(b.id), ejected: String(b.ejected) } },
      columns.map(([label, name, cls, cell]) => h('td', { class: cls, dataset: { col: name, label } }, cell(b))),
      h('td', { class: 'actions', dataset: { label: '' } }, backendActions(pool, b, reload)))))));
}

function backendActions(pool, b, reload) {
  const actions = [];
  if (b.keys?.some((k) => k.disabled || k.cooldown_until)) {
    const enable = h('button', { type: 'button', onclick: async () => {
      if (await run(enable, () => post(`/api/v1/admin/backends/${b.id}/enable-keys`)) !== undefined) {
        toast(`Keys of backend ${b.id} re-enabled`);
        reload();
      }
    } }, 'Re-enable keys');
    actions.push(enable);
  }
  if (b.source === 'api') {
    const remove = h('button', { type: 'button', class: 'danger', 'aria-label': `Remove backend ${b.id}`, onclick: async () => {
      if (await confirmAction(`Remove backend ${b.url} from ${pool.name}?`, 'Remove')
        && await run(remove, () => del(`/api/v1/admin/backends/${b.id}`)) !== undefined) {
        toast(`Backend ${b.id} removed`);
        reload();
      }
    } }, 'Remove');
    actions.push(remove);
  }
  return actions;
}

function addForms(pools, valid, reload) {
  const poolName = h('input', { type: 'text', required: true, maxlength: 200, autocomplete: 'off' });
  const poolStrategy = h('select', {}, h('option', { value: '' }, '(default)'), valid.map((s) => h('option', { value: s }, s)));
  const poolAliases = h('input', { type: 'text', placeholder: 'comma separated', autocomplete: 'off' });
  const poolError = h('div', { class: 'form-error' });
  const poolButton = h('button', { type: 'submit', class: 'primary' }, 'Add pool');
  const poolForm = h('form', { novalidate: true, onsubmit: async (event) => {
    event.preventDefault();
    const created = await run(poolButton, () => post('/api/v1/admin/pools', {
      name: poolName.value.trim(),
      strategy: poolStrategy.value || undefined,
      aliases: poolAliases.value.split(',').map((a) => a.trim()).filter(Boolean),
    }), poolError);
    if (created) {
      toast(`Pool ${created.name} added`);
      poolName.value = '';
      poolAliases.value = '';
      reload();
    }
  } }, h('div', { class: 'form-grid' }, field('Name (the model it serves)', poolName), field('Strategy', poolStrategy),
    field('Aliases', poolAliases), h('div', { class: 'field' }, poolButton)), poolError);

  const bPool = h('select', { required: true });
  const setPools = (list) => {
    const names = list.filter((p) => p.owner_user_id == null).map((p) => p.name);
    const chosen = bPool.value;
    fill(bPool, names.map((name) => h('option', { value: name, selected: name === chosen }, name)));
    backendFields.hidden = names.length === 0;
    noPool.hidden = names.length !== 0;
  };
  const bKind = h('select', {}, KINDS.map((k) => h('option', { value: k }, k)));
  const bUrl = h('input', { type: 'url', required: true, placeholder: 'http://10.0.0.5:8000/v1', autocomplete: 'off' });
  const bWeight = h('input', { type: 'number', min: '0', step: 'any', placeholder: 'auto' });
  const bRpm = h('input', { type: 'number', min: '1', step: '1', placeholder: 'none' });
  const bHealth = h('input', { type: 'text', placeholder: '/health', autocomplete: 'off' });
  const bKeys = h('textarea', { rows: 2, placeholder: 'one per line (hosted APIs)', autocomplete: 'off', spellcheck: 'false' });
  const bError = h('div', { class: 'form-error' });
  const bButton = h('button', { type: 'submit', class: 'primary' }, 'Add backend');
  const noPool = h('p', { class: 'muted' }, 'Add a pool first.');
  const backendFields = h('div', { class: 'form-grid' }, field('Pool', bPool), field('Kind', bKind), field('URL', bUrl),
    field('Weight', bWeight), field('Requests per minute per key', bRpm), field('Health path', bHealth),
    field('API keys', bKeys), h('div', { class: 'field' }, bButton));
  const backendForm = h('form', { novalidate: true, onsubmit: async (event) => {
    event.preventDefault();
    const keys = bKeys.value.split('\n').map((k) => k.trim()).filter(Boolean);
    const created = await run(bButton, () => post('/api/v1/admin/backends', {
      pool: bPool.value,
      kind: bKind.value,
      url: bUrl.value.trim(),
      weight: bWeight.value ? Number(bWeight.value) : undefined,
      rate_limit_rpm: bRpm.value ? Number(bRpm.value) : undefined,
      health_path: bHealth.value.trim() || undefined,
      api_keys: keys.length ? keys : undefined,
    }), bError);
    if (created) {
      toast(`Backend ${created.url} added to ${created.pool}`);
      bUrl.value = '';
      bKeys.value = '';
      reload();
    }
  } }, noPool, backendFields, bError);
  setPools(pools);

  return {
    node: h('section', { class: 'panel', 'aria-label': 'Add pools and backends' },
      h('details', {}, h('summary', {}, 'Add a pool'), poolForm),
      h('details', {}, h('summary', {}, 'Add a backend'), backendForm)),
    setPools,
  };
}

