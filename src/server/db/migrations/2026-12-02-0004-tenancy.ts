import { sql, type Kysely } from 'kysely';

/**
 * Tenancy. A client organisation belongs to the vendor that serves it
 * (`orgs.vendor_org_id`, null for vendors), and an image stored once by SHA-256 is
 * usable only by the organisations that have it (`org_blobs`). Frozen.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('orgs')
    .addColumn('vendor_org_id', 'integer', (c) => c.references('orgs.id'))
    .execute();
  await db.schema.createIndex('orgs_vendor').on('orgs').column('vendor_org_id').execute();
  // Existing client orgs go to the vendor of the first project made for them; a client
  // org without projects goes to the oldest vendor, where a single-vendor install has it.
  await sql`
    update orgs set vendor_org_id = coalesce(
      (select p.org_id from projects p where p.client_org_id = orgs.id order by p.id limit 1),
      (select v.id from orgs v where v.kind = 'vendor' order by v.id limit 1)
    )
    where kind = 'client'
  `.execute(db);

  await db.schema
    .createTable('org_blobs')
    .addColumn('org_id', 'integer', (c) => c.notNull().references('orgs.id'))
    .addColumn('sha256', 'text', (c) => c.notNull().references('blobs.sha256'))
    .addPrimaryKeyConstraint('org_blobs_pk', ['org_id', 'sha256'])
    .execute();
  // Every organisation of a project (its vendor and its client) has the images in it.
  await sql`
    insert into org_blobs (org_id, sha256)
    select p.org_id, i.blob_sha256
      from items i join projects p on p.id = i.project_id
     where i.blob_sha256 is not null
    union
    select p.client_org_id, i.blob_sha256
      from items i join projects p on p.id = i.project_id
     where i.blob_sha256 is not null and p.client_org_id is not null
  `.execute(db);
}
