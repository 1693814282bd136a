import { sqliteHandle, type Db } from '../db/database.js';
import type { Executor } from '../db/tx.js';
import type { NewItem } from '../db/types.js';

/** SQLite allows 32,766 bound parameters; an item row binds 14. */
const INSERT_CHUNK = 2000;

/**
 * A random lease-order key in [0, 2^31 − 1). Items are leased in this order, so the
 * order a worker meets them in says nothing of upload time or gold. Math.random is
 * enough: nobody outside sees a key, only the order it makes.
 */
export function randomLeaseOrder(): number {
  return Math.floor(Math.random() * 2147483647);
}

/** Rows with their lease-order key set (a caller may set one, e.g. a test that wants an order). */
function withLeaseOrder(rows: NewItem[]): NewItem[] {
  return rows.map((r) => (r.lease_order === undefined ? { ...r, lease_order: randomLeaseOrder() } : r));
}

export class ItemRepository {
  constructor(private readonly db: Db) {}

  /**
   * Bulk insert for imports. On SQLite one prepared statement runs per row inside the
   * caller's transaction: a million rows through the query builder cost several times
   * what SQLite itself spends on them.
   */
  async insertMany(rows: NewItem[], executor: Executor = this.db): Promise<number> {
    const raw = sqliteHandle(this.db);
    if (raw) {
      const stmt = raw.prepare(
        'insert into items (project_id, blob_sha256, source_path, name, width, height, meta, is_gold, claimed, open, submitted, created_at, lease_order) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      );
      for (const r of rows) {
        stmt.run(
          r.project_id,
          r.blob_sha256 ?? null,
          r.source_path ?? null,
          r.name,
          r.width,
          r.height,
          r.meta ?? null,
          r.is_gold ?? 0,
          r.claimed ?? 0,
          r.open ?? 1,
          r.submitted ?? 0,
          r.created_at,
          r.lease_order ?? randomLeaseOrder(),
        );
      }
      return rows.length;
    }
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      await executor
        .insertInto('items')
        .values(withLeaseOrder(rows.slice(i, i + INSERT_CHUNK)))
        .execute();
    }
    return rows.length;
  }

  /** Inserts rows and returns what a caller shows of them, in chunks SQLite can bind. */
  async insertReturning(executor: Executor, rows: NewItem[]) {
    const out: { id: number; name: string; width: number; height: number }[] = [];
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      out.push(
        ...(await executor
          .insertInto('items')
          .values(withLeaseOrder(rows.slice(i, i + INSERT_CHUNK)))
          .returning(['id', 'name', 'width', 'height'])
          .execute()),
      );
    }
    return out;
  }

  get(id: number) {
    return this.db.selectFrom('items').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Items of a project by name (gold imports match COCO file names). */
  async byNames(projectId: number, names: string[]) {
    const out = [];
    for (let i = 0; i < names.length; i += 500) {
      out.push(
        ...(await this.db
          .selectFrom('items')
          .selectAll()
          .where('project_id', '=', projectId)
          .where('name', 'in', names.slice(i, i + 500))
          .execute()),
      );
    }
    return out;
  }

  /** One page of a project's items in id order (keyset pagination). */
  page(projectId: number, afterId: number, limit: number) {
    return this.db
      .selectFrom('items')
      .selectAll()
      .where('project_id', '=', projectId)
      .where('id', '>', afterId)
      .orderBy('id')
      .limit(limit)
      .execute();
  }
}

export async function existingBlobsInProject(db: Db, projectId: number, shas: string[]): Promise<Set<string>> {
  if (shas.length === 0) return new Set();
  const rows = await db
    .selectFrom('items')
    .select('blob_sha256')
    .where('project_id', '=', projectId)
    .where('blob_sha256', 'in', shas)
    .execute();
  return new Set(rows.map((r) => r.blob_sha256!));
}
