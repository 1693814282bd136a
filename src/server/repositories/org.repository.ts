import type { Db } from '../db/database.js';
import type { OrgKind } from '../db/types.js';

export class OrgRepository {
  constructor(private readonly db: Db) {}

  /** A vendor (no `vendorOrgId`) or a client organisation of the vendor `vendorOrgId`. */
  create(name: string, kind: OrgKind, now: number, vendorOrgId: number | null = null) {
    return this.db
      .insertInto('orgs')
      .values({ name, kind, created_at: now, vendor_org_id: kind === 'client' ? vendorOrgId : null })
      .returning(['id', 'name', 'kind', 'vendor_org_id', 'created_at'])
      .executeTakeFirstOrThrow();
  }

  get(id: number) {
    return this.db.selectFrom('orgs').selectAll().where('id', '=', id).executeTakeFirst();
  }

  list() {
    return this.db.selectFrom('orgs').selectAll().orderBy('id').execute();
  }

  /** A vendor organisation and its clients. */
  listTenancy(vendorOrgId: number) {
    return this.db
      .selectFrom('orgs')
      .selectAll()
      .where((eb) => eb.or([eb('id', '=', vendorOrgId), eb('vendor_org_id', '=', vendorOrgId)]))
      .orderBy('id')
      .execute();
  }

  async count(): Promise<number> {
    const row = await this.db
      .selectFrom('orgs')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }
}
