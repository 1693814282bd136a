/**
 * Builds benchmark fixtures straight through the server's context (no HTTP): an
 * organisation, a manager, workers sharing one password hash, a face-68 project and
 * one stored image that every item refers to by sha256.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import sharp from 'sharp';
import { face68 } from '../src/core/templates/index.js';
import { loadConfig } from '../src/server/config.js';
import { createContext, type Context } from '../src/server/context.js';
import { hashPassword } from '../src/server/services/auth.service.js';
import { certifyForBuiltins } from '../src/server/services/certification.service.js';
import { sha256 } from './lib.js';

export const PASSWORD = 'bench-password-1';
export const IMAGE_W = 640;
export const IMAGE_H = 480;

export async function benchContext(dataDir: string, databaseUrl?: string, sqliteSync: 'FULL' | 'NORMAL' = 'NORMAL') {
  const config = loadConfig({}, { dataDir, databaseUrl, seedDemo: false, sqliteSync, logLevel: 'warn' });
  return createContext(config);
}

/**
 * User rows that all share one argon2 hash: hashing a thousand passwords would take
 * a benchmark's setup longer than its run.
 */
export function sharedHashUsers(orgId: number, hash: string, now: number) {
  return (username: string, role: 'manager' | 'worker') => ({
    org_id: orgId,
    username,
    display_name: username,
    password_hash: hash,
    role,
    locale: 'en',
    disabled: 0,
    county: null,
    township: null,
    village: null,
    household: 'none' as const,
    created_at: now,
  });
}

export interface Fixture {
  orgId: number;
  managerId: number;
  projectId: number;
  blobSha: string;
  workers: { id: number; username: string }[];
}

/** Org, manager, `workers` worker accounts (one argon2 hash shared by all), project and one blob. */
export async function buildFixture(
  ctx: Context,
  opts: { workers: number; overlap: number; leaseSeconds?: number; name?: string },
): Promise<Fixture> {
  const now = Date.now();
  const org = await ctx.repos.orgs.create('Bench vendor', 'vendor', now);
  const userRow = sharedHashUsers(org.id, await hashPassword(PASSWORD), now);
  const manager = await ctx.repos.users.create(userRow('bench-manager', 'manager'));
  const workers: Fixture['workers'] = [];
  const rows = [];
  for (let i = 0; i < opts.workers; i++) {
    const u = await ctx.repos.users.create(userRow(`w${String(i).padStart(5, '0')}`, 'worker'));
    workers.push({ id: u.id, username: u.username });
    rows.push(u);
  }
  // Benchmarked workers are certified, as on a base in production: the lease checks it.
  await certifyForBuiltins(ctx.db, rows, now);
  const project = await createProject(ctx, org.id, manager.id, opts.overlap, opts.name, opts.leaseSeconds);
  const blobSha = await storeOneImage(ctx);
  return { orgId: org.id, managerId: manager.id, projectId: project.id, blobSha, workers };
}

/** A face-68 project of the organisation. */
export function createProject(
  ctx: Context,
  orgId: number,
  managerId: number,
  overlap: number,
  name = 'Bench faces',
  leaseSeconds = 600,
) {
  return ctx.repos.projects.create({
    org_id: orgId,
    client_org_id: null,
    name,
    template: JSON.stringify(face68),
    instructions: '',
    overlap,
    lease_seconds: leaseSeconds,
    piece_rate_fen: 10,
    max_instances: 20,
    status: 'active',
    created_by: managerId,
    created_at: Date.now(),
  });
}

/** One generated JPEG, written to the blob store and recorded in `blobs`; returns its sha256. */
export async function storeOneImage(ctx: Context): Promise<string> {
  const bytes = await sharp({
    create: { width: IMAGE_W, height: IMAGE_H, channels: 3, background: { r: 120, g: 90, b: 60 } },
  })
    .jpeg()
    .toBuffer();
  const sha = sha256(bytes);
  const dest = ctx.store.pathOf(sha);
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  fs.writeFileSync(dest, bytes);
  await ctx.repos.blobs.upsert({
    sha256: sha,
    size: bytes.length,
    mime: 'image/jpeg',
    width: IMAGE_W,
    height: IMAGE_H,
    orientation: 1,
    has_preview: 0,
    created_at: Date.now(),
  });
  return sha;
}

/** Writes a JSON Lines manifest of `rows` items all naming `sha`; returns its size in bytes. */
export function writeManifest(file: string, rows: number, sha: string): number {
  const fd = fs.openSync(file, 'w');
  let buf = '';
  let bytes = 0;
  for (let i = 0; i < rows; i++) {
    buf +=
      `{"sha256":"${sha}","width":${IMAGE_W},"height":${IMAGE_H},"name":"img-${String(i).padStart(7, '0')}.jpg",` +
      `"meta":{"batch":${i % 97},"camera":"cam-${i % 5}"}}\n`;
    if (buf.length > 1 << 20) {
      bytes += fs.writeSync(fd, buf);
      buf = '';
    }
  }
  bytes += fs.writeSync(fd, buf);
  fs.closeSync(fd);
  return bytes;
}

/** A fresh PostgreSQL database beside `adminUrl`; returns its URL and a function that drops it. */
export async function createPgDatabase(adminUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `shugu_bench_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}
