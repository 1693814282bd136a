/**
 * Invariant 1: an acknowledged submission is never lost, also when the process is
 * killed with SIGKILL right after answering. Invariant 2: a retried submission is
 * stored once, also across the crash.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/server/db/database.js';
import { createPgDatabase, dialects } from '../helpers/databases.js';
import { prepareDatabase } from '../helpers/fixtures.js';
import { face5Answer } from '../helpers/harness.js';
import { Client, startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { workerIdsFor } from '../../src/server/services/worker-ids.js';

describe.each(dialects)('SIGKILL during a burst of submissions on %s', (dialect) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it('keeps every acknowledged submission exactly once', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shugu-kill-'));
    cleanups.push(async () => fs.rmSync(dataDir, { recursive: true, force: true }));
    let databaseUrl = `sqlite:${path.join(dataDir, 'shugu.db')}`;
    if (dialect === 'postgres') {
      const pg = await createPgDatabase();
      databaseUrl = pg.url;
      cleanups.push(pg.drop);
    }
    const WORKERS = 8;
    const { projectId, workers, password } = await prepareDatabase({
      dataDir,
      databaseUrl,
      workers: WORKERS,
      items: 60,
      overlap: 3,
    });
    // Production durability settings: the server's defaults.
    const env = { SHUGU_DATA_DIR: dataDir, SHUGU_DATABASE_URL: databaseUrl };
    let server: ServerProcess = await startServerProcess(env);
    cleanups.push(() => server.kill('SIGKILL'));

    const acked = new Map<string, number>(); // client submission id → annotation id
    const pending: { worker: number; assignmentId: number; id: string }[] = [];
    let killed = false;
    const clients = workers.map(() => new Client(server.url));
    await Promise.all(clients.map((c, i) => c.login(workers[i], password)));

    const burst = clients.map(async (c, i) => {
      while (!killed) {
        let lease;
        try {
          lease = await c.post(`/api/projects/${projectId}/lease`);
        } catch {
          return;
        }
        if (!lease.json?.lease) return;
        const id = randomUUID();
        const assignmentId = lease.json.lease.assignmentId as number;
        pending.push({ worker: i, assignmentId, id });
        try {
          const res = await c.post(`/api/assignments/${assignmentId}/submit`, {
            clientSubmissionId: id,
            data: face5Answer(),
          });
          if (res.status === 200) acked.set(id, res.json.annotationId);
        } catch {
          return; // connection died with the server: not acknowledged
        }
      }
    });
    // Kill as soon as a good number of submissions are acknowledged, mid-burst.
    while (acked.size < 40) await new Promise((r) => setTimeout(r, 5));
    await server.kill('SIGKILL');
    killed = true;
    await Promise.all(burst);
    expect(acked.size).toBeGreaterThanOrEqual(40);

    server = await startServerProcess(env);
    // Every client retries what it sent, acknowledged or not: each lands once.
    for (const c of clients) c.base = server.url;
    await Promise.all(clients.map((c, i) => c.login(workers[i], password)));
    for (const p of pending) {
      const res = await clients[p.worker].post(`/api/assignments/${p.assignmentId}/submit`, {
        clientSubmissionId: p.id,
        data: face5Answer(),
      });
      expect(res.status, JSON.stringify(res.json)).toBe(200);
      if (acked.has(p.id)) expect(res.json).toEqual({ annotationId: acked.get(p.id), duplicate: true });
    }
    await server.kill('SIGTERM');

    const db = openDatabase(databaseUrl);
    cleanups.push(() => db.destroy());
    const rows = await db
      .selectFrom('annotations')
      .select(['id', 'client_submission_id', 'worker_id', 'item_id'])
      .execute();
    // The worker was told an opaque id for each answer (services/worker-ids.ts).
    const ids = await workerIdsFor(db);
    const byClientId = new Map(rows.map((r) => [r.client_submission_id, ids.annotation(r.id)]));
    for (const [clientId, annotationId] of acked) expect(byClientId.get(clientId)).toBe(annotationId);
    expect(rows).toHaveLength(pending.length);
    expect(new Set(rows.map((r) => r.client_submission_id)).size).toBe(rows.length);
    const pairs = new Set(rows.map((r) => `${r.item_id}:${r.worker_id}`));
    expect(pairs.size).toBe(rows.length);
    const items = await db.selectFrom('items').select(['id', 'submitted', 'claimed']).execute();
    for (const it of items) {
      const n = rows.filter((r) => r.item_id === it.id).length;
      expect(it.submitted).toBe(n);
      expect(n).toBeLessThanOrEqual(3);
    }
  }, 120_000);
});
