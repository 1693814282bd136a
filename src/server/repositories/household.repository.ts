import type { Insertable, Updateable } from 'kysely';
import type { Db } from '../db/database.js';
import type { HouseholdStatusTable } from '../db/types.js';

/** The editable household status list: codes stay, labels follow policy periods. */
export class HouseholdRepository {
  constructor(private readonly db: Db) {}

  list() {
    return this.db.selectFrom('household_statuses').selectAll().orderBy('sort').orderBy('code').execute();
  }

  get(code: string) {
    return this.db.selectFrom('household_statuses').selectAll().where('code', '=', code).executeTakeFirst();
  }

  insert(values: Insertable<HouseholdStatusTable>) {
    return this.db.insertInto('household_statuses').values(values).returningAll().executeTakeFirstOrThrow();
  }

  update(code: string, values: Updateable<HouseholdStatusTable>) {
    return this.db
      .updateTable('household_statuses')
      .set(values)
      .where('code', '=', code)
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  delete(code: string) {
    return this.db.deleteFrom('household_statuses').where('code', '=', code).execute();
  }

  /** Whether anyone, in any organisation, holds the code: such a code is never deleted. */
  async inUse(code: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('users')
      .select('id')
      .where('household', '=', code)
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }
}
