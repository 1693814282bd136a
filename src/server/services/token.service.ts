/**
 * Bearer tokens for scripts and client pipelines. Shown once, stored as a SHA-256
 * hash; each has a scope (`read`: GET only; `write`) and may expire. Only a person
 * signed in with a session makes one: a token that could mint tokens would outlive
 * its own revocation.
 */
import type { TokenBody } from '../../core/api/schemas.js';
import { badRequest, forbidden, notFound } from '../errors.js';
import type { TokenRepository, TokenRow } from '../repositories/token.repository.js';
import { requireRole, type Actor } from './access.js';
import { newToken, sha256, type Credential } from './auth.service.js';
import type { Clock } from './clock.js';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** A token as its owner sees it: never the secret or its hash. */
function present(row: TokenRow) {
  return {
    id: row.id,
    name: row.name,
    scope: row.scope,
    createdAt: iso(row.created_at)!,
    expiresAt: iso(row.expires_at),
    lastUsedAt: iso(row.last_used_at),
    revokedAt: iso(row.revoked_at),
  };
}

export class TokenService {
  constructor(
    private readonly tokens: TokenRepository,
    private readonly clock: Clock,
  ) {}

  /** A new token for the calling user, returned with its secret this once. */
  async create(actor: Actor, credential: Credential, body: TokenBody) {
    requireRole(actor, 'client', 'admin', 'manager');
    if (credential.kind === 'token') {
      throw forbidden('token_cannot_mint', 'A token cannot create tokens; sign in to make one.');
    }
    const name = body.name.trim();
    if (!name) throw badRequest('invalid_token_name', 'A token needs a name.');
    const now = this.clock.now();
    let expiresAt: number | null = null;
    if (body.expiresInDays !== undefined) expiresAt = now + body.expiresInDays * 86_400_000;
    if (body.expiresAt !== undefined) {
      expiresAt = Date.parse(body.expiresAt);
      if (!(expiresAt > now)) throw badRequest('token_expiry_past', 'A token must expire in the future.');
    }
    const token = `shg_${newToken()}`;
    const row = await this.tokens.create({
      userId: actor.id,
      tokenHash: sha256(token),
      name,
      scope: body.scope,
      now,
      expiresAt,
    });
    return { ...present(row), token };
  }

  /** The caller's own tokens, revoked and expired ones included. */
  async list(actor: Actor) {
    return (await this.tokens.listByUser(actor.id)).map(present);
  }

  /** Revokes one of the caller's tokens. Another user's token answers like a missing one. */
  async revoke(actor: Actor, id: number) {
    const existing = await this.tokens.getOfUser(id, actor.id);
    if (!existing) throw notFound('token');
    await this.tokens.revoke(id, actor.id, this.clock.now());
    return present((await this.tokens.getOfUser(id, actor.id))!);
  }
}
