/**
 * Hole 5 of issue 7: the per-worker lease cap broke under parallel requests (two
 * servers on PostgreSQL, six simultaneous leases per worker: workers held up to five
 * live leases, and one request died on the unique key `assignments_item_worker`). The
 * cap is a database fact on both dialects: here two app instances share one database
 * and every worker fires six leases at once, several rounds over.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.js';
import { createContext } from '../../src/server/context.js';
import { MAX_ACTIVE_LEASES } from '../../src/server/services/work.service.js';
import { dialects } from '../helpers/databases.js';
import { startTestApp, type TestApp } from '../helpers/harness.js';

const WORKERS = 24;
const PARALLEL = 6;
const ROUNDS = 3;

describe.each(dialects)('the lease cap under races on %s', (dialect) => {
  let t: TestApp;
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
    await t?.close();
  });

  it(`holds at ${MAX_ACTIVE_LEASES} live leases per worker with ${PARALLEL} leases at once (two servers on PostgreSQL)`, async () => {
    t = await startTestApp(dialect);
    const apps = [t.app];
    if (dialect === 'postgres') {
      // A second server on the same database, as behind a load balancer. (On SQLite one
      // process holds one connection, and BEGIN IMMEDIATE serializes writers across
      // processes; a second in-process instance would only block the event loop on the lock.)
      const ctx2 = await createContext(t.config, t.clock);
      const app2 = await buildApp(ctx2, { webDir: `${t.dataDir}/no-web` });
      cleanups.push(
        () => ctx2.close(),
        () => app2.close(),
      );
      apps.push(app2);
    }

    const manager = await t.newUser('manager', 'manager');
    // Overlap 3: several workers race for the same items, and items stay open for all.
    const project = await t.newProject(manager.headers, { overlap: 3 });
    await t.addImages(manager.headers, project.id, 40);
    const workers = [];
    for (let i = 0; i < WORKERS; i++) workers.push(await t.newUser(`w${i}`, 'worker'));

    const statuses = new Map<number, number>();
    const errors: string[] = [];
    const overCap: string[] = [];
    let maxLive = 0;
    for (let round = 0; round < ROUNDS; round++) {
      await Promise.all(
        workers.flatMap((w, i) =>
          Array.from({ length: PARALLEL }, async (_, k) => {
            const res = await apps[(i + k) % apps.length].inject({
              method: 'POST',
              url: `/api/projects/${project.id}/lease`,
              headers: w.headers,
            });
            statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
            if (res.statusCode >= 500) errors.push(`w${i} round ${round}: ${res.statusCode} ${res.body}`);
          }),
        ),
      );
      const live = await t.ctx.db
        .selectFrom('assignments')
        .select((eb) => ['worker_id', eb.fn.countAll<number>().as('n')])
        .where('status', '=', 'leased')
        .groupBy('worker_id')
        .execute();
      for (const l of live) {
        maxLive = Math.max(maxLive, Number(l.n));
        if (Number(l.n) > MAX_ACTIVE_LEASES) overCap.push(`worker ${l.worker_id}: ${l.n} live leases`);
      }
      // Half of the workers finish one lease before the next round, so the cap is reached again.
      for (const w of workers.slice(0, WORKERS / 2)) {
        const mine = await t.app.inject({
          method: 'GET',
          url: `/api/projects/${project.id}/leases`,
          headers: w.headers,
        });
        const first = mine.json().leases[0];
        if (first) {
          await t.app.inject({
            method: 'POST',
            url: `/api/assignments/${first.assignmentId}/release`,
            headers: w.headers,
          });
        }
      }
    }
    console.log(
      `lease cap on ${dialect}: ${WORKERS} workers × ${PARALLEL} parallel leases × ${ROUNDS} rounds over ${apps.length} server(s); ` +
        `statuses ${JSON.stringify(Object.fromEntries(statuses))}; most live leases held by one worker: ${maxLive}; ` +
        `workers over the cap: ${overCap.length}`,
    );
    expect(errors).toEqual([]);
    expect(overCap).toEqual([]);
    expect([...statuses.keys()]).toEqual([200]);
    // Items never went past their overlap either.
    const items = await t.ctx.db.selectFrom('items').select(['claimed']).execute();
    expect(items.every((i) => i.claimed <= 3)).toBe(true);
  }, 120_000);
});
