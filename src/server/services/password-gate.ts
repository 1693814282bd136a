import { forbidden } from '../errors.js';
import type { Actor } from './access.js';

/** What a session opened with a one-time code may do: see who it is, set a password, leave. */
const ALLOWED = new Set(['GET /api/me', 'POST /api/me/password', 'POST /api/auth/logout']);

/**
 * After a reset the worker logs in with the code the manager read out; until she sets
 * her own password that session can do nothing else, so a code overheard is worth
 * one password change and no work, pay or data.
 */
export function assertPasswordChosen(actor: Actor | undefined, method: string, routeUrl: string | undefined): void {
  if (!actor?.must_change_password) return;
  if (ALLOWED.has(`${method} ${routeUrl}`)) return;
  throw forbidden('password_change_required', 'Set your own password first.');
}
