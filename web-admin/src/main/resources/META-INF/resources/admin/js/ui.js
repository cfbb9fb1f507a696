// Small DOM helpers shared by the pages: element building, number and time formats, tables, states, toasts, dialogs.

/** Builds an element: h('td', {class: 'num', dataset: {x: 1}}, 'text', child). Strings become text, never HTML. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) {
      continue;
    }
    if (key === 'class') {
      el.className = value;
    } else if (key === 'dataset') {
      Object.assign(el.dataset, value);
    } else if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2), value);
    } else if (key in el && typeof value !== 'string') {
      el[key] = value;
    } else {
      el.setAttribute(key, value === true ? '' : String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) {
      continue;
    }
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces an element's content. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
const credit = new Intl.NumberFormat('en-US', { maximumFractionDigits: 6 });

export const fmt = {
  int: (n) => (n === null || n === undefined ? '—' : integer.format(Number(n))),
  dec: (n) => (n === null || n === undefined ? '—' : decimal.format(Number(n))),
  /** Credits (exact decimals from the API, up to six places). */
  credits: (n) => (n === null || n === undefined ? '—' : credit.format(Number(n))),
  money: (amount, currency) => `${credit.format(Number(amount))} ${String(currency || '').toUpperCase()}`.trim(),
  percent: (fraction) => (fraction === null || fraction === undefined ? '—'
    : `${decimal.format(Number(fraction) * 100)}%`),
  ms: (n) => (n === null || n === undefined ? '—' : `${decimal.format(Number(n))} ms`),
  time(iso) {
    if (!iso) {
      return '—';
    }
    const d = new Date(iso);
    return d.toLocaleString('en-GB', { year: 'numeric', month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit' });
  },
  clock(iso) {
    return iso ? new Date(iso).toLocaleTimeString('en-GB') : '—';
  },
  /** How long ago (or until, for a future time): "45 s", "12 min", "3 h", "2 d". */
  age(iso, until = null) {
    if (!iso) {
      return '—';
    }
    const end = until ? Date.parse(until) : Date.now();
    return span(Math.abs(end - Date.parse(iso)) / 1000);
  },
};

function span(seconds) {
  if (seconds < 60) {
    return `${Math.round(seconds)} s`;
  }
  if (seconds < 3600) {
    return `${Math.floor(seconds / 60)} min`;
  }
  if (seconds < 86400) {
    return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
  }
  return `${Math.floor(seconds / 86400)} d ${Math.floor((seconds % 86400) / 3600)} h`;
}

/** A status badge: kind is ok, warn, bad or info. */
export function badge(text, kind = '') {
  return h('span', { class: `badge ${kind}` }, text);
}

export function loading(text = 'Loading…') {
  return h('div', { class: 'loading', role: 'status' }, text);
}

export function empty(text) {
  return h('div', { class: 'empty' }, text);
}

/** An error box with the API's problem detail. */
export function errorBox(error, prefix = '') {
  const detail = error?.detail || error?.message || String(error);
  return h('div', { class: 'notice error', role: 'alert' }, prefix ? `${prefix}: ${detail}` : detail);
}

/**
 * A table: columns [{label, class, cell(row) -> node|string}], rows; emptyText when there are none. Rows get
 * data-key from key(row), so pages can find and update them in place.
 */
export function table(columns, rows, { emptyText = 'Nothing here yet.', key, caption, label } = {}) {
  if (!rows || rows.length === 0) {
    return empty(emptyText);
  }
  return h('div', { class: 'table-wrap' },
    h('table', { class: 'stack', 'aria-label': label },
      caption ? h('caption', { class: 'muted small' }, caption) : null,
      h('thead', {}, h('tr', {}, columns.map((c) => h('th', { class: c.class, scope: 'col' }, c.label)))),
      h('tbody', {}, rows.map((row) => h('tr', { dataset: key ? { key: String(key(row)) } : undefined },
        columns.map((c) => h('td', { class: c.class, dataset: { label: c.label, ...(c.name ? { col: c.name } : {}) } },
          c.cell(row))))))));
}

let toastTimer;

/** A short message at the bottom right (screen readers hear it too). */
export function toast(message, kind = '') {
  const el = document.getElementById('toast');
  el.textContent = message;
  el.className = `toast ${kind}`;
  el.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => {
    el.hidden = true;
  }, kind === 'error' ? 8000 : 4000);
}

/** Asks before a destructive action; resolves true on Confirm. Keyboard: Enter confirms, Escape cancels. */
export function confirmAction(text, confirmLabel = 'Confirm') {
  const dialog = document.getElementById('confirm-dialog');
  document.getElementById('confirm-text').textContent = text;
  document.getElementById('confirm-ok').textContent = confirmLabel;
  dialog.returnValue = '';
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true });
    dialog.showModal();
    document.getElementById('confirm-ok').focus();
  });
}

/**
 * Runs an action from a button: disables it meanwhile, shows the API's problem detail in {@code errorTarget} (or a
 * toast) on failure. Resolves to the action's result, or undefined when it failed.
 */
export async function run(button, action, errorTarget) {
  if (button) {
    button.disabled = true;
  }
  if (errorTarget) {
    errorTarget.replaceChildren();
  }
  try {
    return await action();
  } catch (error) {
    if (error?.status === 401) {
      return undefined;
    }
    if (errorTarget) {
      errorTarget.replaceChildren(errorBox(error));
    } else {
      toast(error?.detail || String(error), 'error');
    }
    return undefined;
  } finally {
    if (button) {
      button.disabled = false;
    }
  }
}

/** A labelled form field. */
export function field(label, control) {
  if (!control.id) {
    control.id = `f-${Math.random().toString(36).slice(2, 9)}`;
  }
  return h('div', { class: 'field' }, h('label', { for: control.id }, label), control);
}

/** Calls fn now and every ms while the page is shown; returns a stop function. Pauses while the tab is hidden. */
export function every(ms, fn) {
  let stopped = false;
  let timer;
  const tick = async () => {
    if (stopped) {
      return;
    }
    if (!document.hidden) {
      try {
        await fn();
      } catch {
        // the page shows its own errors; keep polling
      }
    }
    if (!stopped) {
      timer = setTimeout(tick, ms);
    }
  };
  tick();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
