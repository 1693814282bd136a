/**
 * Migration 2026-12-02-0004-tenancy on a database that already holds data, on every
 * dialect: client organisations go to the vendor that made projects for them (else the
 * oldest vendor), and each organisation of a project may name the images in it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Migrator, type Kysely, type Migration } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { dialectOf, migrate, openDatabase, type Db } from '../../src/server/db/database.js';
import { migrations } from '../../src/server/db/migrations/index.js';
import { createPgDatabase, dialects } from '../helpers/databases.js';

const TENANCY = '2026-12-02-0004-tenancy';

describe.each(dialects)('tenancy migration on %s', (dialect) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function databaseBeforeTenancy(): Promise<Db> {
    let url: string;
    if (dialect === 'postgres') {
      const created = await createPgDatabase();
      url = created.url;
      cleanups.push(created.drop);
    } else {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shugu-mig-'));
      url = `sqlite:${path.join(dir, 'shugu.db')}`;
      cleanups.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
    }
    const db = openDatabase(url);
    cleanups.push(() => db.destroy());
    const d = dialectOf(db);
    const earlier = Object.entries(migrations).filter(([name]) => name < TENANCY);
    const provider = {
      getMigrations: async (): Promise<Record<string, Migration>> =>
        Object.fromEntries(earlier.map(([name, m]) => [name, { up: (k: Kysely<any>) => m.up(k, d) }])),
    };
    const { error } = await new Migrator({ db, provider }).migrateToLatest();
    if (error) throw error;
    return db;
  }

  it('gives client organisations a vendor and organisations their images', async () => {
    const db = (await databaseBeforeTenancy()) as unknown as Kysely<any>;
    const now = Date.UTC(2026, 11, 1);
    const org = async (name: string, kind: string) =>
      (await db.insertInto('orgs').values({ name, kind, created_at: now }).returning('id').executeTakeFirstOrThrow())
        .id as number;
    const vendor1 = await org('Vendor 1', 'vendor');
    const vendor2 = await org('Vendor 2', 'vendor');
    const servedBy2 = await org('Client of 2', 'client');
    const noProjects = await org('Client without projects', 'client');
    const user = (
      await db
        .insertInto('users')
        .values({
          org_id: vendor2,
          username: 'm',
          display_name: 'm',
          password_hash: 'x',
          role: 'manager',
          created_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id as number;
    const project = async (orgId: number, clientOrgId: number | null) =>
      (
        await db
          .insertInto('projects')
          .values({
            org_id: orgId,
            client_org_id: clientOrgId,
            name: 'p',
            template: '{}',
            overlap: 1,
            lease_seconds: 600,
            piece_rate_fen: 0,
            max_instances: 1,
            created_by: user,
            created_at: now,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id as number;
    const p1 = await project(vendor1, null);
    const p2 = await project(vendor2, servedBy2);
    // A later project of vendor 1 naming vendor 2's client does not move it.
    await project(vendor1, servedBy2);
    const sha = (c: string) => c.repeat(64);
    for (const c of ['a', 'b', 'c']) {
      await db
        .insertInto('blobs')
        .values({
          sha256: sha(c),
          size: 1,
          mime: 'image/png',
          width: 1,
          height: 1,
          orientation: 1,
          has_preview: 0,
          created_at: now,
        })
        .execute();
    }
    const item = (projectId: number, c: string) =>
      db
        .insertInto('items')
        .values({
          project_id: projectId,
          blob_sha256: sha(c),
          name: c,
          width: 1,
          height: 1,
          is_gold: 0,
          claimed: 0,
          open: 1,
          submitted: 0,
          created_at: now,
        })
        .execute();
    await item(p1, 'a');
    await item(p2, 'b');
    await item(p2, 'b');

    await migrate(db as Db);

    const orgs = await db.selectFrom('orgs').select(['id', 'vendor_org_id']).orderBy('id').execute();
    expect(orgs).toEqual([
      { id: vendor1, vendor_org_id: null },
      { id: vendor2, vendor_org_id: null },
      { id: servedBy2, vendor_org_id: vendor2 },
      { id: noProjects, vendor_org_id: vendor1 },
    ]);
    const held = await db
      .selectFrom('org_blobs')
      .select(['org_id', 'sha256'])
      .orderBy('org_id')
      .orderBy('sha256')
      .execute();
    expect(held).toEqual([
      { org_id: vendor1, sha256: sha('a') },
      { org_id: vendor2, sha256: sha('b') },
      { org_id: servedBy2, sha256: sha('b') },
    ]);
  });
});
