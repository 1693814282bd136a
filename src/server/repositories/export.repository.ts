import { sql, type ExpressionBuilder } from 'kysely';
import type { Db } from '../db/database.js';
import type { Database } from '../db/types.js';

/**
 * A regular item is finished when it holds its overlap (the project's plus any extra it
 * was given) of answers that still count, its consensus is built, and no review is
 * pending on it (`flagged` or `sampled`). Rejected answers give their slot back and
 * drop the consensus, so an item with a rejected answer is unfinished until another
 * worker has redone it. Written once here; every export mode uses it.
 */
function finished(eb: ExpressionBuilder<Database, 'items'>, overlap: number) {
  return eb.and([
    eb('items.is_gold', '=', 0),
    eb('items.submitted', '>=', sql<number>`${overlap} + items.extra_overlap`),
    eb('items.review_state', 'in', ['none', 'reviewed']),
    eb.exists(eb.selectFrom('consensus').select('consensus.item_id').whereRef('consensus.item_id', '=', 'items.id')),
  ]);
}

/** Which items an export lists. */
export interface ItemFilter {
  /** Every item, gold included (audits). */
  all: boolean;
  /** Unfinished regular items too (listed without annotations). */
  unfinished: boolean;
  gold: boolean;
}

/** Keyset pages of what a COCO export streams; each page is ordered by the key it resumes after. */
export class ExportRepository {
  constructor(private readonly db: Db) {}

  /** Items in id order, each with whether it is finished. */
  async items(projectId: number, overlap: number, filter: ItemFilter, afterId: number, limit: number) {
    const rows = await this.db
      .selectFrom('items')
      .select(['id', 'name', 'width', 'height', 'is_gold'])
      .select((eb) => eb.case().when(finished(eb, overlap)).then(sql.lit(1)).else(sql.lit(0)).end().as('finished'))
      .where('project_id', '=', projectId)
      .where('id', '>', afterId)
      .$if(!filter.all, (qb) =>
        qb.where((eb) => {
          const wanted = [finished(eb, overlap)];
          if (filter.unfinished) wanted.push(eb('items.is_gold', '=', 0));
          if (filter.gold) wanted.push(eb('items.is_gold', '=', 1));
          return eb.or(wanted);
        }),
      )
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ ...r, finished: Number(r.finished) === 1 }));
  }

  /** The consensus of each finished item, in item order: the final dataset. */
  finalResults(projectId: number, overlap: number, afterItemId: number, limit: number) {
    return this.db
      .selectFrom('consensus')
      .innerJoin('items', 'items.id', 'consensus.item_id')
      .select(['consensus.item_id', 'consensus.data'])
      .where('consensus.project_id', '=', projectId)
      .where('consensus.item_id', '>', afterItemId)
      .where('items.is_gold', '=', 0)
      .where('items.submitted', '>=', sql<number>`${overlap} + items.extra_overlap`)
      .where('items.review_state', 'in', ['none', 'reviewed'])
      .orderBy('consensus.item_id')
      .limit(limit)
      .execute();
  }

  /**
   * Stored answers in id order. `accepted`: the answers of finished items that still
   * count (not rejected by a reviewer, not discarded at a suspension: both are stored
   * as `rejected`). `all`: every answer, with the reason of a reviewer's rejection.
   */
  answers(projectId: number, overlap: number, which: 'accepted' | 'all', afterId: number, limit: number) {
    return this.db
      .selectFrom('annotations')
      .innerJoin('items', 'items.id', 'annotations.item_id')
      .select([
        'annotations.id',
        'annotations.item_id',
        'annotations.worker_id',
        'annotations.data',
        'annotations.status',
        'annotations.created_at',
      ])
      .$if(which === 'all', (qb) =>
        qb.select(
          // Only rejected answers look for their review; a suspension rejects without one.
          sql<string | null>`case when annotations.status = 'rejected' then (
            select r.reason_code from reviews r
            where r.annotation_id = annotations.id and r.verdict = 'reject'
            order by r.id desc limit 1) end`.as('reject_reason'),
        ),
      )
      .where('annotations.project_id', '=', projectId)
      .where('annotations.id', '>', afterId)
      .$if(which === 'accepted', (qb) =>
        qb.where('annotations.status', '!=', 'rejected').where((eb) => finished(eb, overlap)),
      )
      .orderBy('annotations.id')
      .limit(limit)
      .execute();
  }

  /** Gold references in item order. */
  goldReferences(projectId: number, afterItemId: number, limit: number) {
    return this.db
      .selectFrom('gold_answers')
      .select(['item_id', 'data'])
      .where('project_id', '=', projectId)
      .where('item_id', '>', afterItemId)
      .orderBy('item_id')
      .limit(limit)
      .execute();
  }
}
