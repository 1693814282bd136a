/**
 * Two server processes on one PostgreSQL database behave as one: leases taken with
 * FOR UPDATE SKIP LOCKED never hand one slot to two workers, no item goes past its
 * overlap, and every accepted answer has exactly one earning in the ledger.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/server/db/database.js';
import { createPgDatabase, hasPostgres } from '../helpers/databases.js';
import { prepareDatabase } from '../helpers/fixtures.js';
import { face5Answer } from '../helpers/harness.js';
import { Client, startServerProcess } from '../helpers/server-process.js';

describe.skipIf(!hasPostgres)('two servers on one PostgreSQL database', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it.each([1, 2])(
    'share the pool without double leases (overlap %i)',
    async (overlap) => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shugu-two-'));
      cleanups.push(async () => fs.rmSync(dataDir, { recursive: true, force: true }));
      const pg = await createPgDatabase();
      cleanups.push(pg.drop);
      const ITEMS = 40;
      const { projectId, workers, password } = await prepareDatabase({
        dataDir,
        databaseUrl: pg.url,
        workers: 24,
        items: ITEMS,
        overlap,
      });
      const env = { SHUGU_DATA_DIR: dataDir, SHUGU_DATABASE_URL: pg.url };
      const servers = await Promise.all([startServerProcess(env), startServerProcess(env)]);
      for (const s of servers) cleanups.push(() => s.kill());

      // Workers alternate between the servers; half of them hold a second lease at times.
      const clients = workers.map((_, i) => new Client(servers[i % 2].url));
      await Promise.all(clients.map((c, i) => c.login(workers[i], password)));
      let done = 0;
      await Promise.all(
        clients.map(async (c, i) => {
          for (;;) {
            const l = await c.post(`/api/projects/${projectId}/lease`);
            expect(l.status).toBe(200);
            if (!l.json.lease) return;
            if (i % 2 === 0) c.base = servers[(i + done) % 2].url; // switch servers mid-stream
            const res = await c.post(`/api/assignments/${l.json.lease.assignmentId}/submit`, {
              clientSubmissionId: randomUUID(),
              data: face5Answer(),
            });
            expect(res.status, JSON.stringify(res.json)).toBe(200);
            done++;
          }
        }),
      );
      expect(done).toBe(ITEMS * overlap);

      const db = openDatabase(pg.url);
      cleanups.push(() => db.destroy());
      const assignments = await db.selectFrom('assignments').select(['item_id', 'worker_id', 'status']).execute();
      // Every lease ended in a submission: no slot was handed out twice and then lost.
      expect(assignments.every((a) => a.status === 'submitted')).toBe(true);
      const perItem = new Map<number, number>();
      for (const a of assignments) perItem.set(a.item_id, (perItem.get(a.item_id) ?? 0) + 1);
      expect(perItem.size).toBe(ITEMS);
      expect([...perItem.values()].every((n) => n === overlap)).toBe(true);
      const items = await db.selectFrom('items').select(['claimed', 'submitted', 'open']).execute();
      expect(items.every((r) => r.claimed === overlap && r.submitted === overlap && r.open === 0)).toBe(true);
      // Invariant 6 across both processes: the answers agree, so each was accepted and paid once.
      const accepted = await db.selectFrom('annotations').select('id').where('accepted_at', 'is not', null).execute();
      expect(accepted.length).toBe(ITEMS * overlap);
      const paid = await db.selectFrom('ledger_entries').select(['annotation_id', 'kind', 'amount_fen']).execute();
      expect(paid.length).toBe(ITEMS * overlap);
      expect(new Set(paid.map((p) => p.annotation_id)).size).toBe(ITEMS * overlap);
      expect(paid.every((p) => p.kind === 'earning' && p.amount_fen === 10)).toBe(true);
    },
    120_000,
  );
});
