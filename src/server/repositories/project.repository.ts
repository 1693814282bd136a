import type { Insertable, Updateable } from 'kysely';
import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import type { ProjectTable } from '../db/types.js';

export class ProjectRepository {
  constructor(private readonly db: Db) {}

  create(values: Insertable<ProjectTable>) {
    return this.db.insertInto('projects').values(values).returningAll().executeTakeFirstOrThrow();
  }

  get(id: number) {
    return this.db.selectFrom('projects').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Projects visible to an organisation: owned by it, or made for it as a client. */
  listForOrg(orgId: number, asClient: boolean) {
    return this.db
      .selectFrom('projects')
      .selectAll()
      .where(asClient ? 'client_org_id' : 'org_id', '=', orgId)
      .orderBy('id', 'desc')
      .execute();
  }

  update(id: number, values: Updateable<ProjectTable>) {
    return this.db.updateTable('projects').set(values).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
  }

  /** Item counts for progress bars, in one pass over the project's items. */
  async progress(projectId: number) {
    const row = await this.db
      .selectFrom('items')
      .select((eb) => [
        eb.fn.countAll<number>().as('items'),
        eb.fn.sum<number>('submitted').as('submissions'),
        eb.fn.sum<number>(sql`case when ${eb.ref('open')} = 0 then 1 else 0 end`).as('full'),
        eb.fn.sum<number>('is_gold').as('gold'),
      ])
      .where('project_id', '=', projectId)
      .executeTakeFirstOrThrow();
    return {
      items: Number(row.items),
      submissions: Number(row.submissions ?? 0),
      itemsFullyClaimed: Number(row.full ?? 0),
      gold: Number(row.gold ?? 0),
    };
  }

  /** After the overlap changes, every item's open flag follows it. */
  reopenItems(projectId: number, overlap: number) {
    return this.db
      .updateTable('items')
      .set({ open: sql`case when claimed < ${overlap} + extra_overlap then 1 else 0 end` })
      .where('project_id', '=', projectId)
      .execute();
  }
}
