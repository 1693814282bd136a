import { sql } from 'kysely';
import type { Executor } from '../db/tx.js';

/**
 * What it takes for an item to finish: its counters, its review flag, and how many
 * workers could still answer it. The requirement itself (`extra_overlap`, `open`) is
 * set by AssignmentRepository, the one owner of the item counters.
 */
export class FinishingRepository {
  item(trx: Executor, itemId: number) {
    return trx
      .selectFrom('items')
      .select(['id', 'claimed', 'submitted', 'extra_overlap', 'review_state', 'open'])
      .where('id', '=', itemId)
      .executeTakeFirstOrThrow();
  }

  /** Answers of an item that still count (not rejected). */
  async validAnswers(trx: Executor, itemId: number): Promise<number> {
    const row = await trx
      .selectFrom('annotations')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('item_id', '=', itemId)
      .where('status', '!=', 'rejected')
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  flag(trx: Executor, itemId: number) {
    return trx.updateTable('items').set({ review_state: 'flagged' }).where('id', '=', itemId).execute();
  }

  /** A low-agreement flag comes off when the item's agreement is good again. */
  clearFlag(trx: Executor, itemId: number) {
    return trx
      .updateTable('items')
      .set({ review_state: 'none' })
      .where('id', '=', itemId)
      .where('review_state', '=', 'flagged')
      .execute();
  }

  /**
   * Workers who could still answer the item: workers of the project's organisation who
   * are enabled, not gone, not suspended in the project, members when the project has
   * members, certified for its template, and who neither hold nor answered the item.
   * (A worker who gave it back may get it again: she counts.)
   */
  async workersLeft(
    trx: Executor,
    project: { id: number; org_id: number },
    templateId: string,
    itemId: number,
    today: string,
  ): Promise<number> {
    const row = await sql<{ n: number | string }>`
      select count(*) as n from users u
      where u.org_id = ${project.org_id} and u.role = 'worker' and u.disabled = 0
        and (u.end_date is null or u.end_date >= ${today})
        and not exists (select 1 from worker_standing s
          where s.project_id = ${project.id} and s.worker_id = u.id and s.status = 'suspended')
        and (not exists (select 1 from project_members pm where pm.project_id = ${project.id})
          or exists (select 1 from project_members pm where pm.project_id = ${project.id}
            and (pm.user_id = u.id or pm.team_id = u.team_id)))
        and exists (select 1 from certifications c
          where c.user_id = u.id and c.template_id = ${templateId} and c.status = 'active')
        and not exists (select 1 from assignments a
          where a.item_id = ${itemId} and a.worker_id = u.id and a.status in ('leased', 'submitted'))`.execute(trx);
    return Number(row.rows[0]?.n ?? 0);
  }

  /**
   * Open regular items of a project that have answers and lost one (rejected or
   * discarded): the ones that may wait for workers who are no longer there. An item
   * that never had its overlap waits for the crowd to grow, as a new project does.
   */
  async reopenedItems(trx: Executor, projectId: number): Promise<number[]> {
    const rows = await trx
      .selectFrom('items')
      .select('id')
      .where('project_id', '=', projectId)
      .where('open', '=', 1)
      .where('is_gold', '=', 0)
      .where('submitted', '>', 0)
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('annotations')
            .select('annotations.id')
            .whereRef('annotations.item_id', '=', 'items.id')
            .where('annotations.status', '=', 'rejected'),
        ),
      )
      .execute();
    return rows.map((r) => r.id);
  }
}
