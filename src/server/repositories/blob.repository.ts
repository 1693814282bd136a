import type { Insertable } from 'kysely';
import type { Db } from '../db/database.js';
import type { Executor } from '../db/tx.js';
import type { BlobTable } from '../db/types.js';

export class BlobRepository {
  constructor(private readonly db: Db) {}

  /** Records a blob; storing the same bytes twice keeps the first row. */
  upsert(values: Insertable<BlobTable>, executor: Executor = this.db) {
    return executor
      .insertInto('blobs')
      .values(values)
      .onConflict((oc) => oc.column('sha256').doNothing())
      .execute();
  }

  get(sha256: string) {
    return this.db.selectFrom('blobs').selectAll().where('sha256', '=', sha256).executeTakeFirst();
  }

  async existing(shas: string[]): Promise<Map<string, { width: number; height: number }>> {
    if (shas.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('blobs')
      .select(['sha256', 'width', 'height'])
      .where('sha256', 'in', shas)
      .execute();
    return new Map(rows.map((r) => [r.sha256, { width: r.width, height: r.height }]));
  }
}
