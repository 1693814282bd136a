import type { Db } from '../db/database.js';

/** Failed logins, counted in the database so that every server process sees the same limits. */
export class LoginFailureRepository {
  constructor(private readonly db: Db) {}

  /** Records an attempt as failed before its password is checked; returns its id. */
  async record(username: string, ip: string, now: number): Promise<number> {
    const row = await this.db
      .insertInto('login_failures')
      .values({ username, ip, at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  /** Failures since `since`: of this name from this address, from this address, and of this name. */
  async count(username: string, ip: string, since: number) {
    const n = (q: Promise<{ n: number | string | bigint }>) => q.then((r) => Number(r.n));
    const base = () =>
      this.db
        .selectFrom('login_failures')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('at', '>', since);
    const [pair, address, name] = await Promise.all([
      n(base().where('username', '=', username).where('ip', '=', ip).executeTakeFirstOrThrow()),
      n(base().where('ip', '=', ip).executeTakeFirstOrThrow()),
      n(base().where('username', '=', username).executeTakeFirstOrThrow()),
    ]);
    return { pair, address, name };
  }

  forget(id: number) {
    return this.db.deleteFrom('login_failures').where('id', '=', id).execute();
  }

  /** Failures older than the window count for nothing. */
  prune(before: number) {
    return this.db.deleteFrom('login_failures').where('at', '<=', before).execute();
  }

  /** After a successful login: this name's failures from this address no longer count. */
  clear(username: string, ip: string) {
    return this.db.deleteFrom('login_failures').where('username', '=', username).where('ip', '=', ip).execute();
  }
}
