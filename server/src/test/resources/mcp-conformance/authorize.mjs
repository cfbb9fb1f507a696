// Loaded with `node --import` before the MCP conformance suite when it runs through gpuproxyd: the suite has no option
// for a credential, so this adds "Authorization: Bearer $GPUPROXY_API_KEY" to every request it sends, by fetch (the MCP
// SDK's client) or by undici's request (its DNS-rebinding scenario). Nothing else in a request is changed.
import { createRequire } from 'node:module';

const value = `Bearer ${process.env.GPUPROXY_API_KEY}`;
const undici = createRequire(process.env.CONFORMANCE_PACKAGE_JSON)('undici');

function hasAuthorization(headers) {
  if (headers == null) return false;
  if (Array.isArray(headers)) {
    return headers.flat().some((item, i, all) => i % 2 === 0 && String(item).toLowerCase() === 'authorization');
  }
  return Object.keys(headers).some(name => name.toLowerCase() === 'authorization');
}

function withAuthorization(headers) {
  if (hasAuthorization(headers)) return headers;
  if (headers == null) return { authorization: value };
  if (Array.isArray(headers)) {
    return Array.isArray(headers[0]) ? [...headers, ['authorization', value]] : [...headers, 'authorization', value];
  }
  return { ...headers, authorization: value };
}

undici.setGlobalDispatcher(new undici.Agent().compose(dispatch => (options, handler) =>
  dispatch({ ...options, headers: withAuthorization(options.headers) }, handler)));

const fetchWithoutKey = globalThis.fetch;
globalThis.fetch = (input, init = {}) => {
  const headers = new Headers(init.headers ?? (input instanceof Request ? input.headers : undefined));
  if (!headers.has('authorization')) headers.set('authorization', value);
  return fetchWithoutKey(input, { ...init, headers });
};
