import type { Db } from '../db/database.js';
import type { TokenScope } from '../db/types.js';
import { publicUserColumns } from './user.repository.js';

/** What a token's owner may see of it: never the hash. */
const tokenColumns = ['id', 'name', 'scope', 'created_at', 'expires_at', 'last_used_at', 'revoked_at'] as const;

export class TokenRepository {
  constructor(private readonly db: Db) {}

  create(values: {
    userId: number;
    tokenHash: string;
    name: string;
    scope: TokenScope;
    now: number;
    expiresAt: number | null;
  }) {
    return this.db
      .insertInto('api_tokens')
      .values({
        user_id: values.userId,
        token_hash: values.tokenHash,
        name: values.name,
        scope: values.scope,
        created_at: values.now,
        expires_at: values.expiresAt,
      })
      .returning(tokenColumns)
      .executeTakeFirstOrThrow();
  }

  /** The user behind a live token, with the token's id, scope and last use; undefined otherwise. */
  findLive(tokenHash: string, now: number) {
    return this.db
      .selectFrom('api_tokens')
      .innerJoin('users', 'users.id', 'api_tokens.user_id')
      .select(publicUserColumns)
      .select([
        'api_tokens.id as token_id',
        'api_tokens.scope as token_scope',
        'api_tokens.last_used_at as token_last_used_at',
      ])
      .where('api_tokens.token_hash', '=', tokenHash)
      .where('api_tokens.revoked_at', 'is', null)
      .where((eb) => eb.or([eb('api_tokens.expires_at', 'is', null), eb('api_tokens.expires_at', '>', now)]))
      .where('users.disabled', '=', 0)
      .executeTakeFirst();
  }

  touch(id: number, now: number) {
    return this.db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', id).execute();
  }

  listByUser(userId: number) {
    return this.db.selectFrom('api_tokens').select(tokenColumns).where('user_id', '=', userId).orderBy('id').execute();
  }

  getOfUser(id: number, userId: number) {
    return this.db
      .selectFrom('api_tokens')
      .select(tokenColumns)
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .executeTakeFirst();
  }

  /** Revokes a live token of the user; an already revoked one keeps its first revocation time. */
  revoke(id: number, userId: number, now: number) {
    return this.db
      .updateTable('api_tokens')
      .set({ revoked_at: now })
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .execute();
  }
}

export type TokenRow = Awaited<ReturnType<TokenRepository['listByUser']>>[number];
