/**
 * Preloaded into the server child by `bench/work-loop.ts --sql-stats` (node --import):
 * wraps better-sqlite3's Statement methods to time every statement by its SQL text,
 * and writes the totals to $BENCH_SQL_STATS when the process exits. Changes nothing
 * in the server's code; costs a little time itself (two hrtime calls a statement).
 */
import fs from 'node:fs';
import SQLite from 'better-sqlite3';

const out = process.env.BENCH_SQL_STATS;
if (out) {
  const probe = new SQLite(':memory:');
  const proto = Object.getPrototypeOf(probe.prepare('select 1')) as Record<string, unknown>;
  probe.close();
  const stats = new Map<string, { n: number; ns: bigint }>();
  for (const method of ['run', 'get', 'all'] as const) {
    const original = proto[method] as (...a: unknown[]) => unknown;
    proto[method] = function (this: { source: string }, ...a: unknown[]) {
      const t = process.hrtime.bigint();
      try {
        return original.apply(this, a);
      } finally {
        const dt = process.hrtime.bigint() - t;
        const key = this.source.replace(/\s+/g, ' ').trim();
        const s = stats.get(key);
        if (s) {
          s.n++;
          s.ns += dt;
        } else stats.set(key, { n: 1, ns: dt });
      }
    };
  }
  process.on('exit', () => {
    const rows = [...stats].map(([sql, s]) => ({ sql, n: s.n, ms: Number(s.ns) / 1e6 }));
    fs.writeFileSync(out, JSON.stringify(rows));
  });
}
