/**
 * Prepares a database for process tests directly through the services: an org, a
 * manager, workers and a face-5 project with generated images.
 */
import { loadConfig } from '../../src/server/config.js';
import { createContext } from '../../src/server/context.js';
import { UserService } from '../../src/server/services/user.service.js';
import { certifyForBuiltins } from '../../src/server/services/certification.service.js';
import { PASSWORD, solidPng } from './harness.js';
import fs from 'node:fs';
import path from 'node:path';

export async function prepareDatabase(opts: {
  dataDir: string;
  databaseUrl: string;
  workers: number;
  items: number;
  overlap: number;
}) {
  const config = loadConfig({}, { dataDir: opts.dataDir, databaseUrl: opts.databaseUrl, seedDemo: false });
  const ctx = await createContext(config);
  try {
    const now = Date.now();
    const org = await ctx.repos.orgs.create('Base', 'vendor', now);
    const manager = await UserService.insert(
      ctx.repos.users,
      { orgId: org.id, username: 'manager', password: PASSWORD, role: 'manager' },
      now,
    );
    const workers: string[] = [];
    const hash = (await ctx.repos.users.findByUsername('manager'))!.password_hash;
    for (let i = 0; i < opts.workers; i++) {
      // One hash for all: argon2 per worker would dominate the test's time.
      const w = await ctx.repos.users.create({
        org_id: org.id,
        username: `w${i}`,
        display_name: `w${i}`,
        password_hash: hash,
        role: 'worker',
        locale: 'zh-CN',
        disabled: 0,
        county: null,
        township: null,
        village: null,
        household: 'none',
        created_at: now,
      });
      // Certified up front: these tests exercise the work loop, not training.
      await certifyForBuiltins(ctx.db, [w], now);
      workers.push(`w${i}`);
    }
    const actor = (await ctx.repos.users.get(manager.id))!;
    const project = await ctx.services.projects.create(actor, {
      name: 'p',
      templateId: 'face-5',
      overlap: opts.overlap,
      leaseSeconds: 600,
      pieceRateFen: 10,
      maxInstances: 5,
      instructions: '',
    });
    const dir = await ctx.store.stagingDir();
    const staged = [];
    for (let i = 0; i < opts.items; i++) {
      const file = path.join(dir, `i${i}.png`);
      fs.writeFileSync(file, await solidPng(64, 48, i + 1));
      staged.push({ name: `i${i}.png`, file });
    }
    await ctx.services.images.ingest(actor, project.id, staged, dir);
    fs.rmSync(dir, { recursive: true, force: true });
    return { projectId: project.id, workers, password: PASSWORD };
  } finally {
    await ctx.close();
  }
}
