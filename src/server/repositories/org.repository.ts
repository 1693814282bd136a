import type { Db } from '../db/database.js';
import type { OrgKind } from '../db/types.js';

export class OrgRepository {
  constructor(private readonly db: Db) {}

  create(name: string, kind: OrgKind, now: number) {
    return this.db
      .insertInto('orgs')
      .values({ name, kind, created_at: now })
      .returning(['id', 'name', 'kind', 'created_at'])
      .executeTakeFirstOrThrow();
  }

  get(id: number) {
    return this.db.selectFrom('orgs').selectAll().where('id', '=', id).executeTakeFirst();
  }

  list() {
    return this.db.selectFrom('orgs').selectAll().orderBy('id').execute();
  }

  async count(): Promise<number> {
    const row = await this.db
      .selectFrom('orgs')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }
}
