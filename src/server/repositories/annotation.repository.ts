import type { Insertable } from 'kysely';
import type { Db } from '../db/database.js';
import type { Executor } from '../db/tx.js';
import type { AnnotationTable } from '../db/types.js';

export class AnnotationRepository {
  constructor(private readonly db: Db) {}

  insert(trx: Executor, values: Insertable<AnnotationTable>) {
    return trx.insertInto('annotations').values(values).returning(['id', 'created_at']).executeTakeFirstOrThrow();
  }

  findBySubmissionId(trx: Executor, workerId: number, clientSubmissionId: string) {
    return trx
      .selectFrom('annotations')
      .select(['id', 'assignment_id', 'item_id', 'created_at'])
      .where('worker_id', '=', workerId)
      .where('client_submission_id', '=', clientSubmissionId)
      .executeTakeFirst();
  }

  listForItem(itemId: number) {
    return this.db
      .selectFrom('annotations')
      .innerJoin('users', 'users.id', 'annotations.worker_id')
      .select([
        'annotations.id',
        'annotations.worker_id',
        'users.username as worker_username',
        'annotations.data',
        'annotations.active_ms',
        'annotations.created_at',
      ])
      .where('annotations.item_id', '=', itemId)
      .orderBy('annotations.id')
      .execute();
  }

  /** One page of a project's annotations in id order, for streaming export. */
  page(projectId: number, afterId: number, limit: number) {
    return this.db
      .selectFrom('annotations')
      .select(['id', 'item_id', 'worker_id', 'data', 'created_at'])
      .where('project_id', '=', projectId)
      .where('id', '>', afterId)
      .orderBy('id')
      .limit(limit)
      .execute();
  }

  async countForProject(projectId: number): Promise<number> {
    const row = await this.db
      .selectFrom('annotations')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('project_id', '=', projectId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }
}
