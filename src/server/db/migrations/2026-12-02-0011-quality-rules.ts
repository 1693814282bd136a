import type { Kysely } from 'kysely';

/**
 * The rules a crowd manager expects, and what they did. Frozen.
 *
 * - project settings (0 turns a rule off): agreement with peers (`peer_warn_below`,
 *   `peer_suspend_below`, `peer_min`), left/right swaps (`swap_suspend_share`), answers
 *   too fast to be real (`fast_ms_per_point`, `fast_suspend_after`).
 * - `peer_scores`: every answer of a finished item scored against the consensus of the
 *   other answers (leave one out), with the worker's error scale from that item.
 * - `worker_standing`: the worker's error scale (`sigma`, and the points it rests on)
 *   that weighs her answers in a consensus; her peer and too-fast figures, counted
 *   from `rules_since` (her last reinstatement).
 * - `quality_events`: what each rule did (warned, suspended, discarded N answers), for
 *   the manager's log.
 */
export async function up(db: Kysely<any>, dialect: 'sqlite' | 'postgres'): Promise<void> {
  const id = dialect === 'postgres' ? 'serial' : 'integer';
  const idCol = (c: any) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement());
  const real = dialect === 'postgres' ? 'double precision' : 'real';

  const projectColumns: [string, string, unknown][] = [
    // Rolling agreement with peers (mean leave-one-out score) under which a worker is warned…
    ['peer_warn_below', real, 0.5],
    // …and suspended; careful workers score 0.8–0.95 against careful peers.
    ['peer_suspend_below', real, 0.3],
    // Credible peer scores before the peer rule acts.
    ['peer_min', 'integer', 10],
    // Share of swapped answers (gold and peer, last 20) at which a worker is suspended.
    ['swap_suspend_share', real, 0.2],
    // Active time per placed point under which an answer is not real: discarded.
    ['fast_ms_per_point', 'integer', 100],
    // Too-fast answers after which a worker is suspended.
    ['fast_suspend_after', 'integer', 5],
  ];
  for (const [name, type, def] of projectColumns) {
    await db.schema
      .alterTable('projects')
      .addColumn(name, type as any, (c) => c.notNull().defaultTo(def))
      .execute();
  }

  await db.schema.alterTable('worker_standing').addColumn('sigma', real).execute();
  const standingColumns = ['sigma_points', 'peer_count', 'fast_count'];
  for (const name of standingColumns) {
    await db.schema
      .alterTable('worker_standing')
      .addColumn(name, 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
  }
  await db.schema.alterTable('worker_standing').addColumn('peer_score', real).execute();
  // Peer, swap and speed evidence counts from here on: a reinstated worker starts afresh.
  await db.schema
    .alterTable('worker_standing')
    .addColumn('rules_since', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable('peer_scores')
    .addColumn('id', id, idCol)
    .addColumn('annotation_id', 'integer', (c) => c.notNull().unique().references('annotations.id'))
    .addColumn('project_id', 'integer', (c) => c.notNull().references('projects.id'))
    .addColumn('item_id', 'integer', (c) => c.notNull().references('items.id'))
    .addColumn('worker_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('score', real)
    .addColumn('nme', real)
    .addColumn('swapped', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('credible', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('sigma', real)
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('peer_scores_worker')
    .on('peer_scores')
    .columns(['project_id', 'worker_id', 'id'])
    .execute();

  await db.schema
    .createTable('quality_events')
    .addColumn('id', id, idCol)
    .addColumn('project_id', 'integer', (c) => c.notNull().references('projects.id'))
    .addColumn('worker_id', 'integer', (c) => c.references('users.id'))
    .addColumn('item_id', 'integer', (c) => c.references('items.id'))
    .addColumn('rule', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('detail', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('quality_events_project').on('quality_events').columns(['project_id', 'id']).execute();
}
