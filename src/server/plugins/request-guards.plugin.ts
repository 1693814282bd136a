/**
 * Checks every state-changing request before its body is read:
 *
 * - Cross-site request forgery. A browser attaches the session cookie to requests
 *   that other pages start, including pages on another port of the same host (same
 *   site, so SameSite=Lax does not help). Such a request must carry an `Origin` (or,
 *   failing that, a `Referer`) equal to this server's own origin: scheme, host and
 *   port. A request with neither is refused when it holds the session cookie and a
 *   body that a cross-site form can send without a CORS preflight (text/plain,
 *   urlencoded, multipart); JSON cannot be sent cross-site without one, and this
 *   server grants none. Bearer-token requests carry no ambient credential and pass.
 * - Token scope. A `read` token may only GET.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { SESSION_COOKIE } from '../app.js';
import { forbidden } from '../errors.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** The content types an HTML form or a no-cors fetch can send to another site. */
const FORM_TYPES = new Set(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data']);
const HOST = /^[A-Za-z0-9.\-[\]:]+$/;

/** The bearer token of a request, if it names one; such a request is judged by the token alone. */
export function bearerOf(request: FastifyRequest): string | undefined {
  const auth = request.headers.authorization;
  return auth?.startsWith('Bearer ') ? auth.slice(7).trim() : undefined;
}

/** `scheme://host[:port]` of an http(s) URL, with a default port left out; undefined otherwise. */
function originOf(url: string): string | undefined {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin : undefined;
  } catch {
    return undefined;
  }
}

/** This server's origin as the browser sees it: the Host header and the scheme (from a trusted proxy where one is configured). */
function ownOrigin(request: FastifyRequest): string | undefined {
  return HOST.test(request.host) ? originOf(`${request.protocol}://${request.host}`) : undefined;
}

function hasBody(request: FastifyRequest): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** Whether a page on another site could have sent this body: a form's content type, or a body without one. */
function formLike(request: FastifyRequest): boolean {
  const type = request.headers['content-type'];
  if (type === undefined) return hasBody(request);
  return FORM_TYPES.has(type.split(';')[0].trim().toLowerCase());
}

export function assertSameOrigin(request: FastifyRequest): void {
  if (SAFE_METHODS.has(request.method) || bearerOf(request) !== undefined) return;
  const claimed = request.headers.origin ?? request.headers.referer;
  if (claimed !== undefined) {
    const own = ownOrigin(request);
    if (own === undefined || originOf(claimed) !== own) {
      throw forbidden('csrf_origin_mismatch', 'This request came from another site or port, and was refused.');
    }
    return;
  }
  if (request.cookies[SESSION_COOKIE] !== undefined && formLike(request)) {
    throw forbidden(
      'csrf_origin_missing',
      'A signed-in form request must say where it came from (Origin or Referer); send JSON or a bearer token.',
    );
  }
}

export function assertTokenScope(request: FastifyRequest): void {
  const credential = request.credential;
  if (credential?.kind === 'token' && credential.scope === 'read' && !SAFE_METHODS.has(request.method)) {
    throw forbidden('token_scope', 'This token may only read (GET); make a write token to change anything.');
  }
}

/** Adds the checks as onRequest hooks; call after the hook that authenticates. */
export function installRequestGuards(app: FastifyInstance) {
  app.addHook('onRequest', async (request) => {
    assertSameOrigin(request);
    assertTokenScope(request);
  });
}
