/**
 * Builds a whole server for a test: its own temporary data folder, its own database
 * on the chosen dialect, a clock the test can move, and factories for organisations,
 * users and projects. Requests go through `app.inject`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { buildApp } from '../../src/server/app.js';
import { loadConfig } from '../../src/server/config.js';
import { createContext, type Context } from '../../src/server/context.js';
import type { Role } from '../../src/server/db/types.js';
import { UserService } from '../../src/server/services/user.service.js';
import { certifyForBuiltins } from '../../src/server/services/certification.service.js';
import { workerIdsFor } from '../../src/server/services/worker-ids.js';
import { createPgDatabase, type TestDialect } from './databases.js';

export class TestClock {
  constructor(public ms = Date.UTC(2026, 10, 28, 8, 0, 0)) {}
  now() {
    return this.ms;
  }
  advance(ms: number) {
    this.ms += ms;
  }
}

export const PASSWORD = 'correct horse battery';

/**
 * The origin of `app.inject` requests (their Host is `localhost:80`). A signed-in
 * user's headers carry it, as a browser's would, so that form-type bodies
 * (multipart uploads) pass the cross-site request check.
 */
export const SAME_ORIGIN = 'http://localhost';

export type TestApp = Awaited<ReturnType<typeof startTestApp>>;

export async function startTestApp(
  dialect: TestDialect,
  overrides: Record<string, unknown> = {},
  options: { webDir?: string } = {},
) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shugu-test-'));
  let dropDb = async () => {};
  let databaseUrl = `sqlite:${path.join(dataDir, 'shugu.db')}`;
  if (dialect === 'postgres') {
    const created = await createPgDatabase();
    databaseUrl = created.url;
    dropDb = created.drop;
  }
  const config = loadConfig({}, { dataDir, databaseUrl, seedDemo: false, sqliteSync: 'NORMAL', ...overrides });
  const clock = new TestClock();
  const ctx: Context = await createContext(config, clock);
  const app = await buildApp(ctx, { webDir: options.webDir ?? path.join(dataDir, 'no-web') });
  await app.ready();

  const vendor = await ctx.repos.orgs.create('Test base', 'vendor', clock.now());
  const users = new Map<string, { id: number; cookie: string }>();

  /**
   * A user, logged in. Workers come certified for every built-in template, so they can
   * lease at once; `{ certified: false }` makes one who has yet to pass an exam.
   */
  async function newUser(username: string, role: Role, orgId = vendor.id, opts: { certified?: boolean } = {}) {
    const u = await UserService.insert(ctx.repos.users, { orgId, username, password: PASSWORD, role }, clock.now());
    if (role === 'worker' && opts.certified !== false) await certifyForBuiltins(ctx.db, [u], clock.now());
    const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: PASSWORD } });
    if (res.statusCode !== 200) throw new Error(`login of ${username} failed: ${res.body}`);
    const cookie = res.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    users.set(username, { id: u.id, cookie });
    return { id: u.id, cookie, headers: { cookie, origin: SAME_ORIGIN } };
  }

  async function newProject(headers: Record<string, string>, body: Record<string, unknown> = {}) {
    const res = await app.inject({
      method: 'POST',
      url: '/api/projects',
      headers,
      payload: { name: 'Faces', templateId: 'face-5', overlap: 1, leaseSeconds: 600, ...body },
    });
    if (res.statusCode !== 201) throw new Error(`project creation failed: ${res.body}`);
    return res.json() as { id: number; overlap: number };
  }

  /** Uploads `n` distinct generated images; returns the created items. */
  async function addImages(headers: Record<string, string>, projectId: number, n: number, size = [64, 48]) {
    const files = await Promise.all(
      Array.from({ length: n }, async (_, i) => ({
        filename: `img${i}.png`,
        content: await solidPng(size[0], size[1], i),
      })),
    );
    const mp = multipart(files);
    const res = await app.inject({
      method: 'POST',
      url: `/api/projects/${projectId}/images`,
      payload: mp.payload,
      headers: { ...headers, ...mp.headers },
    });
    if (res.statusCode !== 201) throw new Error(`upload failed: ${res.body}`);
    return res.json().items as { id: number; width: number; height: number }[];
  }

  /** The row id of the item behind a lease a worker got (workers see opaque ids: services/worker-ids.ts). */
  async function leasedItemId(lease: { assignmentId: number }): Promise<number> {
    const assignmentId = (await workerIdsFor(ctx.db)).assignmentOf(lease.assignmentId);
    const row = await ctx.db
      .selectFrom('assignments')
      .select('item_id')
      .where('id', '=', assignmentId)
      .executeTakeFirstOrThrow();
    return row.item_id;
  }

  /**
   * Lease order = id order for a test whose story needs a known order (items are
   * otherwise leased in a random order: migration 0010).
   */
  async function leaseInIdOrder(): Promise<void> {
    await ctx.db
      .updateTable('items')
      .set((eb) => ({ lease_order: eb.ref('id') }))
      .execute();
  }

  /** The row id of an answer from the opaque id a worker was given for it. */
  async function annotationRowId(workerAnnotationId: number): Promise<number> {
    return (await workerIdsFor(ctx.db)).annotationOf(workerAnnotationId);
  }

  return {
    app,
    ctx,
    clock,
    leasedItemId,
    annotationRowId,
    leaseInIdOrder,
    config,
    dataDir,
    vendor,
    newUser,
    newProject,
    addImages,
    async close() {
      await app.close();
      await ctx.close();
      await dropDb();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A small PNG whose pixels depend on `seed`, so each has its own SHA-256. */
export function solidPng(width: number, height: number, seed: number): Promise<Buffer> {
  return sharp({
    create: { width, height, channels: 3, background: { r: seed % 256, g: (seed >> 8) % 256, b: 77 } },
  })
    .png()
    .toBuffer();
}

/** A multipart/form-data body for app.inject. */
export function multipart(files: { filename: string; content: Buffer; field?: string }[]) {
  const boundary = '----shugu' + Math.random().toString(16).slice(2);
  const parts: Buffer[] = [];
  for (const f of files) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${f.field ?? 'file'}"; filename="${f.filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
      ),
      f.content,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** A face-5 answer with one instance inside a w×h image. */
export function face5Answer(w = 64, h = 48, dx = 0) {
  return {
    instances: [
      {
        bbox: [4, 4, w - 8, h - 8],
        points: [
          [20 + dx, 16, 2],
          [44 + dx, 16, 2],
          [32 + dx, 26, 2],
          [24 + dx, 36, 1],
          [40 + dx, 36, 2],
        ],
      },
    ],
  };
}

/** Files left in the blob store, previews and staging included. */
export function blobFiles(root: string): string[] {
  if (!fs.existsSync(root)) return [];
  return (fs.readdirSync(root, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((d) => d.isFile())
    .map((d) => path.join(d.parentPath, d.name));
}
