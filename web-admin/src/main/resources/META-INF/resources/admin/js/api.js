// The page's only way to the server: JSON over the live REST API with the operator's access token. Errors come back
// as ApiError carrying the problem+json "detail"; a refused or expired token ends the session (the app shows login).

const STORAGE_KEY = 'gpuproxy.admin.session';

/** The signed-in operator: tokens and user, kept in sessionStorage (gone when the tab closes). */
export const session = {
  get() {
    try {
      const raw = sessionStorage.getItem(STORAGE_KEY);
      return raw ? JSON.parse(raw) : null;
    } catch {
      return null;
    }
  },
  set(value) {
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify(value));
  },
  clear() {
    sessionStorage.removeItem(STORAGE_KEY);
  },
  expired(value = this.get()) {
    return !value || (value.expires_at && Date.parse(value.expires_at) <= Date.now());
  },
};

export class ApiError extends Error {
  constructor(status, detail, code, problem) {
    super(detail);
    this.status = status;
    this.detail = detail;
    this.code = code;
    this.problem = problem;
  }
}

/** Fired on window when the session ends without the operator asking (expired or refused token). */
export const SESSION_ENDED = 'gpuproxy:session-ended';

function endSession(message) {
  session.clear();
  window.dispatchEvent(new CustomEvent(SESSION_ENDED, { detail: { message } }));
}

/** A random UUID, also where crypto.randomUUID is missing (plain-HTTP origins other than localhost). */
export function uuid() {
  if (crypto.randomUUID) {
    return crypto.randomUUID();
  }
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

async function problemOf(response) {
  const type = response.headers.get('Content-Type') || '';
  let body = null;
  try {
    body = type.includes('json') ? await response.json() : null;
  } catch {
    body = null;
  }
  const detail = body?.detail || body?.error?.message || body?.title
    || `The server answered ${response.status} ${response.statusText || ''}`.trim();
  return new ApiError(response.status, detail, body?.code || body?.error?.code, body);
}

/**
 * Calls the API. {@code body} is sent as JSON; extra headers (Idempotency-Key) may be given. Resolves to the parsed
 * answer (null for 204), rejects with ApiError.
 */
export async function api(method, path, body, { headers = {}, anonymous = false, signal } = {}) {
  const current = session.get();
  if (!anonymous) {
    if (!current) {
      endSession('Please sign in.');
      throw new ApiError(401, 'Not signed in', 'unauthorized');
    }
    if (session.expired(current)) {
      endSession('Your session has expired. Please sign in again.');
      throw new ApiError(401, 'Session expired', 'unauthorized');
    }
  }
  const init = { method, headers: { Accept: 'application/json', ...headers }, signal, cache: 'no-store' };
  if (!anonymous) {
    init.headers.Authorization = `Bearer ${current.access_token}`;
  }
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (e) {
    if (e.name === 'AbortError') {
      throw e;
    }
    throw new ApiError(0, 'The server cannot be reached. Check your connection; the page retries on its own.',
      'unreachable');
  }
  if (!response.ok) {
    const error = await problemOf(response);
    if (response.status === 401 && !anonymous) {
      endSession(`Your session has expired or was revoked. Please sign in again. (${error.detail})`);
    }
    throw error;
  }
  if (response.status === 204) {
    return null;
  }
  const text = await response.text();
  return text ? JSON.parse(text) : null;
}

export const get = (path, options) => api('GET', path, undefined, options);
export const post = (path, body, options) => api('POST', path, body, options);
export const put = (path, body, options) => api('PUT', path, body, options);
export const patch = (path, body, options) => api('PATCH', path, body, options);
export const del = (path, options) => api('DELETE', path, undefined, options);

/** Query string from an object, leaving out empty values. */
export function query(params) {
  const q = new URLSearchParams();
  Object.entries(params).forEach(([k, v]) => {
    if (v !== undefined && v !== null && v !== '') {
      q.set(k, String(v));
    }
  });
  const s = q.toString();
  return s ? `?${s}` : '';
}
