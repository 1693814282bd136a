/**
 * The first start on an empty database: a demo organisation with an admin, a manager,
 * a reviewer and two workers, a face-68 project holding the six sample photos that
 * ship in the npm package @vladmandic/face-api, and a face-68 training course on the
 * same photos. Passwords are random and printed once.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { face68 } from '../../core/templates/index.js';
import type { Context } from '../context.js';
import type { Role } from '../db/types.js';
import { UserService } from './user.service.js';
import { certifyForBuiltins } from './certification.service.js';
import { seedDemoTraining } from '../seed/training-demo.js';

export interface SeededLogin {
  username: string;
  password: string;
  role: Role;
}

/** The folder of sample face photos shipped by @vladmandic/face-api. */
export function sampleImagesDir(): string {
  const require = createRequire(import.meta.url);
  const pkg = path.dirname(require.resolve('@vladmandic/face-api/package.json'));
  return path.join(pkg, 'demo');
}

export async function seedDemoIfEmpty(ctx: Context): Promise<SeededLogin[] | null> {
  if ((await ctx.repos.orgs.count()) > 0) return null;
  const now = ctx.clock.now();
  const org = await ctx.repos.orgs.create('数谷示范基地 Shugu Demo Base', 'vendor', now);
  const accounts: { username: string; role: Role; displayName: string; household?: 'registered_poor' }[] = [
    { username: 'admin', role: 'admin', displayName: '管理员' },
    { username: 'manager', role: 'manager', displayName: '项目经理 王芳' },
    { username: 'reviewer', role: 'reviewer', displayName: '质检员 李强' },
    { username: 'worker1', role: 'worker', displayName: '标注员 张丽', household: 'registered_poor' },
    { username: 'worker2', role: 'worker', displayName: '标注员 刘洋' },
  ];
  const logins: SeededLogin[] = [];
  for (const a of accounts) {
    const password = randomBytes(9).toString('base64url');
    await UserService.insert(
      ctx.repos.users,
      {
        orgId: org.id,
        username: a.username,
        password,
        role: a.role,
        displayName: a.displayName,
        county: a.role === 'worker' ? '示范县' : null,
        household: a.household,
      },
      now,
    );
    logins.push({ username: a.username, password, role: a.role });
  }
  const manager = (await ctx.repos.users.findByUsername('manager'))!;
  const project = await ctx.repos.projects.create({
    org_id: org.id,
    client_org_id: null,
    name: '人脸 68 点示范项目 / Face-68 demo',
    template: JSON.stringify(face68),
    instructions: [
      '# 人脸 68 点标注 / Face-68 landmarks',
      '',
      '按提示的顺序点出每个关键点；被遮挡的点估计位置并标为“遮挡”。',
      'Place each point in the order shown; estimate hidden points and mark them occluded.',
    ].join('\n'),
    overlap: 2,
    lease_seconds: 1800,
    piece_rate_fen: 50,
    max_instances: 10,
    status: 'active',
    created_by: manager.id,
    created_at: now,
  });
  const dir = sampleImagesDir();
  const staging = await ctx.store.stagingDir();
  try {
    const samples = fs
      .readdirSync(dir)
      .filter((f) => /^sample\d+\.jpg$/.test(f))
      .sort();
    const staged = [];
    for (const f of samples) {
      const copy = path.join(staging, f);
      await fsp.copyFile(path.join(dir, f), copy);
      staged.push({ name: f, file: copy });
    }
    const managerActor = (await ctx.repos.users.get(manager.id))!;
    await ctx.services.images.ingest(managerActor, project.id, staged, staging);
  } finally {
    await fsp.rm(staging, { recursive: true, force: true });
  }
  // Training: worker1 takes the face-68 course before she may work; worker2 is an
  // experienced hand, certified without an exam so the demo project has a worker at once.
  await seedDemoTraining(ctx, org.id, manager.id, dir);
  const experienced = (await ctx.repos.users.findByUsername('worker2'))!;
  await certifyForBuiltins(ctx.db, [experienced], now, [], 2);
  return logins;
}
