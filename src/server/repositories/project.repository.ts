import type { Insertable, Updateable } from 'kysely';
import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import type { Project, ProjectTable } from '../db/types.js';
import { TtlCache } from '../services/ttl-cache.js';

/** Projects change rarely and are read on every lease and submit. */
const PROJECT_TTL_MS = 1000;

export class ProjectRepository {
  private readonly cache = new TtlCache<number, Project | undefined>(PROJECT_TTL_MS);

  constructor(private readonly db: Db) {}

  /** `get`, served from a one-second cache: for the work loop's hot path. */
  getCached(id: number) {
    return this.cache.get(id, () => this.get(id));
  }

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
    this.cache.delete(id);
    return this.db.updateTable('projects').set(values).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
  }

  /** Item counts for progress bars, for many projects in one grouped pass. */
  async progressMany(projectIds: number[]) {
    const out = new Map<number, { items: number; submissions: number; itemsFullyClaimed: number; gold: number }>();
    for (const id of projectIds) out.set(id, { items: 0, submissions: 0, itemsFullyClaimed: 0, gold: 0 });
    if (projectIds.length === 0) return out;
    const rows = await this.db
      .selectFrom('items')
      .select((eb) => [
        'project_id',
        eb.fn.countAll<number>().as('items'),
        eb.fn.sum<number>('submitted').as('submissions'),
        eb.fn
          .sum<number>(sql`case when ${eb.ref('open')} = 0 and ${eb.ref('is_gold')} = 0 then 1 else 0 end`)
          .as('full'),
        eb.fn.sum<number>('is_gold').as('gold'),
      ])
      .where('project_id', 'in', projectIds)
      .groupBy('project_id')
      .execute();
    for (const r of rows) {
      out.set(r.project_id, {
        items: Number(r.items),
        submissions: Number(r.submissions ?? 0),
        itemsFullyClaimed: Number(r.full ?? 0),
        gold: Number(r.gold ?? 0),
      });
    }
    return out;
  }

  async progress(projectId: number) {
    return (await this.progressMany([projectId])).get(projectId)!;
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
