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

  /** Of these images, those the organisation may name (see `imageHoldersOf`). */
  async usableBy(orgId: number, shas: string[]): Promise<Set<string>> {
    if (shas.length === 0) return new Set();
    const rows = await this.db
      .selectFrom('org_blobs')
      .select('sha256')
      .where('org_id', '=', orgId)
      .where('sha256', 'in', shas)
      .execute();
    return new Set(rows.map((r) => r.sha256));
  }

  /** Lets each organisation name each image from now on; granting twice changes nothing. */
  async grant(executor: Executor, orgIds: number[], shas: string[]) {
    const rows = orgIds.flatMap((org_id) => shas.map((sha256) => ({ org_id, sha256 })));
    // Two bound values a row, well under SQLite's limit of 32,766 per statement.
    for (let i = 0; i < rows.length; i += 5000) {
      await executor
        .insertInto('org_blobs')
        .values(rows.slice(i, i + 5000))
        .onConflict((oc) => oc.columns(['org_id', 'sha256']).doNothing())
        .execute();
    }
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
