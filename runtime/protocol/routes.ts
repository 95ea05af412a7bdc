// URL → route. The paths of the Open Inference Protocol's REST binding, plus `/metrics`.
// Parsed by hand: `new URL` per request costs more than everything else the router does.
import { HttpError, notFound } from './errors.js';

export type Route =
  | { readonly kind: 'server' | 'live' | 'ready' | 'metrics' }
  | { readonly kind: 'model' | 'modelReady' | 'infer'; readonly model: string; readonly version?: string };

const MODEL_PATH = /^\/v2\/models\/([^/]+)(?:\/versions\/([^/]+))?(\/ready|\/infer)?$/;

// Nearly every request repeats the previous one's method and URL: that parse is remembered
// (routes are immutable, errors are not remembered).
let last: { readonly method: string; readonly url: string; readonly route: Route } | undefined;

export function parseRoute(method: string, url: string): Route {
  if (last !== undefined && last.url === url && last.method === method) return last.route;
  const route = parse(method, url);
  last = { method, url, route };
  return route;
}

function parse(method: string, url: string): Route {
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  const fixed = FIXED[path];
  if (fixed) {
    need(method, 'GET');
    return { kind: fixed };
  }
  const m = MODEL_PATH.exec(path);
  if (!m) throw notFound(`no route for ${path}`);
  const model = decode(m[1]!);
  const version = m[2] === undefined ? {} : { version: decode(m[2]) };
  if (m[3] === '/infer') {
    need(method, 'POST');
    return { kind: 'infer', model, ...version };
  }
  need(method, 'GET');
  return { kind: m[3] === '/ready' ? 'modelReady' : 'model', model, ...version };
}

const FIXED: Record<string, 'server' | 'live' | 'ready' | 'metrics'> = {
  '/v2': 'server',
  '/v2/health/live': 'live',
  '/v2/health/ready': 'ready',
  '/metrics': 'metrics',
};

function need(method: string, allowed: 'GET' | 'POST'): void {
  if (method === allowed || (allowed === 'GET' && method === 'HEAD')) return;
  throw new HttpError(405, 'method_not_allowed', `use ${allowed} here`, {
    allow: allowed === 'GET' ? 'GET, HEAD' : 'POST',
  });
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw notFound(`malformed path segment ${segment}`);
  }
}
