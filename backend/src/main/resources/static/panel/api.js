// The panel's calls to the tenant REST API, authenticated by the session cookie; state changes carry the CSRF token.

const meta = (name) => document.querySelector(`meta[name="${name}"]`)?.content ?? '';

export const tenant = meta('tandem-tenant');
const base = `/api/v1/tenants/${encodeURIComponent(tenant)}`;
const csrfHeader = meta('csrf-header');
const csrfToken = meta('csrf-token');

/**
 * A signed-out session (expired, or signed out in another tab): this page is asked for again, so the server sends
 * the browser to the sign-in form with this page remembered, and back here once signed in.
 */
export function signedOut() {
  window.location.assign(window.location.href);
  return new Error('signed out');
}

/** GET a JSON resource under the tenant; throws on any status but 2xx. */
export function getJson(path) {
  return getJsonAt(base + path);
}

/** GET a JSON resource of the node's API outside the tenant (the cluster's nodes). */
export async function getJsonAt(url) {
  const response = await fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
  if (response.status === 401) {
    throw signedOut();
  }
  if (!response.ok) {
    throw new Error(`${response.status} on ${url}`);
  }
  return response.json();
}

/** A state change: resolves to {ok, status, body} with the JSON (or problem) body, whatever the status. */
export async function send(method, path, body) {
  const headers = { Accept: 'application/json, application/problem+json' };
  if (csrfHeader) {
    headers[csrfHeader] = csrfToken;
  }
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  const response = await fetch(base + path, {
    method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status === 401) {
    throw signedOut();
  }
  let json = null;
  if ((response.headers.get('Content-Type') ?? '').includes('json')) {
    json = await response.json();
  }
  return { ok: response.ok, status: response.status, body: json };
}
