/**
 * The real `shugu` command in child processes, against one SQLite file that the
 * test also opens in-process (between commands) to set up and check.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import argon2 from 'argon2';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { face5 } from '../../src/core/templates/index.js';
import { loadConfig } from '../../src/server/config.js';
import { createContext, type Context } from '../../src/server/context.js';
import { UserService } from '../../src/server/services/user.service.js';
import { certifyForBuiltins } from '../../src/server/services/certification.service.js';
import { PASSWORD, solidPng } from '../helpers/harness.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

// Each command starts Node with tsx; on a busy two-core machine that alone can take seconds.
describe('shugu CLI', { timeout: 120_000 }, () => {
  let dataDir: string;
  let images: string;
  let projectId: number;
  let orgId: number;

  /** The parent's SHUGU_* variables are left out: the CLI refuses unknown ones. */
  const baseEnv = () =>
    Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SHUGU_'))) as NodeJS.ProcessEnv;

  const cli = (args: string[], env: Record<string, string> = {}): Promise<Run> =>
    new Promise((resolve) => {
      execFile(
        process.execPath,
        ['--import', 'tsx', path.join(root, 'src/cli/main.ts'), ...args],
        {
          cwd: root,
          env: { ...baseEnv(), SHUGU_DATA_DIR: dataDir, SHUGU_SEED_DEMO: '0', SHUGU_LOG_LEVEL: 'warn', ...env },
          timeout: 100_000,
        },
        (err, stdout, stderr) =>
          resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
      );
    });

  async function withCtx<T>(fn: (ctx: Context) => Promise<T>): Promise<T> {
    const ctx = await createContext(loadConfig({}, { dataDir, seedDemo: false }));
    try {
      return await fn(ctx);
    } finally {
      await ctx.close();
    }
  }

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shugu-cli-'));
    images = path.join(dataDir, 'incoming');
    fs.mkdirSync(path.join(images, 'day2'), { recursive: true });
    fs.writeFileSync(path.join(images, 'a.png'), await solidPng(64, 48, 1));
    fs.writeFileSync(path.join(images, 'b.png'), await solidPng(32, 32, 2));
    fs.writeFileSync(path.join(images, 'day2', 'c.png'), await solidPng(40, 30, 3));
    const jpeg = await sharp({
      create: {
        width: 120,
        height: 90,
        channels: 3,
        background: 'red',
        noise: { type: 'gaussian', mean: 90, sigma: 30 },
      },
    })
      .jpeg()
      .toBuffer();
    fs.writeFileSync(path.join(images, 'day2', 'd.jpg'), jpeg);
    fs.writeFileSync(path.join(images, 'day2', 'broken.jpg'), jpeg.subarray(0, Math.floor(jpeg.length / 2)));
    fs.writeFileSync(path.join(images, 'notes.txt'), 'not an image, not even looked at');

    await withCtx(async (ctx) => {
      const now = Date.now();
      const org = await ctx.repos.orgs.create('CLI base', 'vendor', now);
      orgId = org.id;
      const manager = await UserService.insert(
        ctx.repos.users,
        { orgId, username: 'manager', password: PASSWORD, role: 'manager' },
        now,
      );
      const project = await ctx.services.projects.create((await ctx.repos.users.get(manager.id))!, {
        name: 'CLI faces',
        templateId: 'face-5',
        overlap: 1,
        leaseSeconds: 600,
        pieceRateFen: 0,
        maxInstances: 5,
        instructions: '',
      });
      projectId = project.id;
    });
  });
  afterAll(() => {
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('adds a user with a generated password that logs in', async () => {
    const run = await cli(['users', 'add', 'worker1', '--role', 'worker', '--org', String(orgId), '--name', 'W One']);
    expect(run.code, run.stderr).toBe(0);
    const m = /created worker worker1 \(id (\d+)\), password (\S+)/.exec(run.stdout);
    expect(m, run.stdout).not.toBeNull();
    const user = await withCtx((ctx) => ctx.repos.users.findByUsername('worker1'));
    expect(user).toMatchObject({ id: Number(m![1]), role: 'worker', org_id: orgId, display_name: 'W One' });
    expect(await argon2.verify(user!.password_hash, m![2])).toBe(true);
  });

  it('refuses a bad role and a bad setting with their exit codes, changing nothing', async () => {
    const [badRole, badSetting] = await Promise.all([
      cli(['users', 'add', 'x2', '--role', 'boss', '--org', String(orgId)]),
      cli(['users', 'add', 'x3', '--role', 'worker', '--org', String(orgId)], { SHUGU_TYPO: '1' }),
    ]);
    expect(badRole.code).toBe(1);
    expect(badRole.stderr).toMatch(/--role must be one of/);
    expect(badSetting.code).toBe(2);
    expect(badSetting.stderr).toContain('SHUGU_TYPO: unknown setting');
    const names = await withCtx((ctx) => ctx.db.selectFrom('users').select('username').execute());
    expect(names.map((n) => n.username).sort()).toEqual(['manager', 'worker1']);
  });

  it('imports a folder of images, reporting the corrupt one as skipped', async () => {
    const run = await cli(['import', String(projectId), images]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('added 4, already in the project 0, skipped 1');
    expect(run.stdout).toMatch(/skipped day2\/broken\.jpg: .*damaged/);
    const items = await withCtx((ctx) =>
      ctx.db.selectFrom('items').select(['name', 'width', 'height']).orderBy('name').execute(),
    );
    expect(items).toEqual([
      { name: 'a.png', width: 64, height: 48 },
      { name: 'b.png', width: 32, height: 32 },
      { name: 'day2/c.png', width: 40, height: 30 },
      { name: 'day2/d.jpg', width: 120, height: 90 },
    ]);
    // Only stored images and their previews remain in the blob store.
    const left = (fs.readdirSync(path.join(dataDir, 'blobs'), { recursive: true, withFileTypes: true }) as fs.Dirent[])
      .filter((d) => d.isFile())
      .map((d) => path.relative(path.join(dataDir, 'blobs'), path.join(d.parentPath, d.name)));
    expect(left.filter((f) => f.startsWith('tmp'))).toEqual([]);
    expect(left).toHaveLength(8);
  });

  it('imports a manifest naming stored images', async () => {
    const shas = await withCtx((ctx) =>
      ctx.db.selectFrom('items').select(['blob_sha256', 'width', 'height']).orderBy('id').execute(),
    );
    const manifest = path.join(dataDir, 'rows.jsonl');
    fs.writeFileSync(
      manifest,
      [
        { sha256: shas[0].blob_sha256, width: shas[0].width, height: shas[0].height, name: 'm1', meta: { batch: 7 } },
        { sha256: shas[1].blob_sha256, width: shas[1].width, height: shas[1].height, name: 'm2' },
      ]
        .map((r) => JSON.stringify(r))
        .join('\n'),
    );
    const run = await cli(['import-manifest', String(projectId), manifest]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('checked 2 rows');
    expect(run.stdout).toMatch(/added 2 items in/);
    const rows = await withCtx((ctx) =>
      ctx.db.selectFrom('items').select(['name', 'meta']).where('name', 'in', ['m1', 'm2']).orderBy('name').execute(),
    );
    expect(rows).toEqual([
      { name: 'm1', meta: '{"batch":7}' },
      { name: 'm2', meta: null },
    ]);
  });

  it('exports valid COCO to a file', async () => {
    // A worker's answer, through the services, so the file has an annotation.
    await withCtx(async (ctx) => {
      const worker = (await ctx.repos.users.findByUsername('worker1'))!;
      const actor = (await ctx.repos.users.get(worker.id))!;
      // Leasing needs a certification for the project's template; the CLI's user was just added.
      await certifyForBuiltins(ctx.db, [actor], ctx.clock.now());
      const lease = (await ctx.services.work.lease(actor, projectId))!;
      const { width: w, height: h } = lease.item;
      await ctx.services.work.submit(actor, lease.assignmentId, {
        clientSubmissionId: 'cli-test-0001',
        activeMs: 1000,
        data: {
          instances: [
            {
              bbox: null,
              points: [
                [w * 0.3, h * 0.3, 2],
                [w * 0.7, h * 0.3, 2],
                [w * 0.5, h * 0.5, 1],
                [0, 0, 0],
                [w * 0.6, h * 0.7, 2],
              ],
            },
          ],
        },
      });
    });
    const out = path.join(dataDir, 'export', 'coco.json');
    fs.mkdirSync(path.dirname(out));
    const run = await cli(['export', String(projectId), '-o', out, '--unfinished', 'empty']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(`wrote ${out} (final, unfinished empty)`);
    const coco = JSON.parse(fs.readFileSync(out, 'utf8'));
    expect(coco.info.shugu).toEqual({ mode: 'final', unfinished: 'empty', includeGold: false });
    expect(coco.categories).toHaveLength(1);
    expect(coco.categories[0].keypoints).toEqual(face5.points.map((p) => p.id));
    expect(coco.images).toHaveLength(6);
    expect(new Set(coco.images.map((i: { id: number }) => i.id)).size).toBe(6);
    expect(coco.images.map((i: { file_name: string }) => i.file_name)).toEqual(
      expect.arrayContaining(['a.png', 'day2/d.jpg', 'm1', 'm2']),
    );
    expect(coco.annotations).toHaveLength(1);
    const ann = coco.annotations[0];
    expect(coco.images.some((i: { id: number }) => i.id === ann.image_id)).toBe(true);
    expect(ann.keypoints).toHaveLength(15);
    expect(ann.keypoints.slice(9, 12)).toEqual([0, 0, 0]);
    expect(ann.num_keypoints).toBe(4);
    expect(ann.bbox).toHaveLength(4);

    // The audit lists the answer with its status; a bad mode is refused before anything is written.
    const all = await cli(['export', String(projectId), '-o', out, '--mode', 'all', '--include-gold']);
    expect(all.code, all.stderr).toBe(0);
    const audit = JSON.parse(fs.readFileSync(out, 'utf8'));
    expect(audit.info.shugu).toEqual({ mode: 'all', unfinished: 'listed', includeGold: true });
    expect(audit.annotations.map((a: { shugu_status: string }) => a.shugu_status)).toEqual(['submitted']);
    const bad = await cli(['export', String(projectId), '--mode', 'raw']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('raw');
  });

  it('adds a vendor and a client organisation of it; client users go to client organisations only', async () => {
    const vendor = await cli(['orgs', 'add', 'Second base', '--kind', 'vendor']);
    expect(vendor.code, vendor.stderr).toBe(0);
    const vendorId = Number(/id (\d+)/.exec(vendor.stdout)![1]);
    const client = await cli(['orgs', 'add', 'Buyer Co', '--kind', 'client', '--vendor', String(vendorId)]);
    expect(client.code, client.stderr).toBe(0);
    const clientId = Number(/id (\d+)/.exec(client.stdout)![1]);
    const orgs = await withCtx((ctx) =>
      ctx.db
        .selectFrom('orgs')
        .select(['id', 'kind', 'vendor_org_id'])
        .where('id', 'in', [vendorId, clientId])
        .execute(),
    );
    expect(orgs.sort((a, b) => a.id - b.id)).toEqual([
      { id: vendorId, kind: 'vendor', vendor_org_id: null },
      { id: clientId, kind: 'client', vendor_org_id: vendorId },
    ]);
    const [noVendor, clientOfClient, clientInVendor] = await Promise.all([
      cli(['orgs', 'add', 'Orphan', '--kind', 'client']),
      cli(['orgs', 'add', 'Nested', '--kind', 'client', '--vendor', String(clientId)]),
      cli(['users', 'add', 'buyer', '--role', 'client', '--org', String(vendorId)]),
    ]);
    expect(noVendor.code).toBe(1);
    expect(noVendor.stderr).toMatch(/needs --vendor/);
    expect(clientOfClient.code).toBe(1);
    expect(clientOfClient.stderr).toMatch(/no vendor organisation/);
    expect(clientInVendor.code).toBe(1);
    expect(clientInVendor.stderr).toMatch(/Client users belong to client organisations/);
    const names = await withCtx((ctx) => ctx.db.selectFrom('orgs').select('name').execute());
    expect(names.map((n) => n.name)).not.toContain('Orphan');
    expect(names.map((n) => n.name)).not.toContain('Nested');
    expect(await withCtx((ctx) => ctx.repos.users.findByUsername('buyer'))).toBeUndefined();
  });
});
