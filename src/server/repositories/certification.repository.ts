import type { Db } from '../db/database.js';
import type { Executor } from '../db/tx.js';

/** Who is certified for which template, at what level. */
export class CertificationRepository {
  constructor(private readonly db: Db) {}

  /** The lease's check: one primary-key-sized lookup on (user_id, template_id). */
  async isActive(userId: number, templateId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('certifications')
      .select('id')
      .where('user_id', '=', userId)
      .where('template_id', '=', templateId)
      .where('status', '=', 'active')
      .executeTakeFirst();
    return row !== undefined;
  }

  get(userId: number, templateId: string, executor: Executor = this.db) {
    return executor
      .selectFrom('certifications')
      .selectAll()
      .where('user_id', '=', userId)
      .where('template_id', '=', templateId)
      .executeTakeFirst();
  }

  ofUser(userId: number) {
    return this.db
      .selectFrom('certifications')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('template_id')
      .execute();
  }

  /** An organisation's certifications with the worker's name, for managers. */
  ofOrg(orgId: number, templateId?: string) {
    let q = this.db
      .selectFrom('certifications as c')
      .innerJoin('users as u', 'u.id', 'c.user_id')
      .select([
        'c.user_id',
        'u.username',
        'u.display_name',
        'c.template_id',
        'c.level',
        'c.status',
        'c.certified_at',
        'c.attempt_id',
        'c.granted_by',
      ])
      .where('c.org_id', '=', orgId);
    if (templateId) q = q.where('c.template_id', '=', templateId);
    return q.orderBy('u.username').orderBy('c.template_id').execute();
  }

  /** Grants or renews a certification (active, with this level). */
  upsert(
    trx: Executor,
    v: {
      userId: number;
      orgId: number;
      templateId: string;
      level: number;
      now: number;
      courseId?: number | null;
      attemptId?: number | null;
      grantedBy?: number | null;
    },
  ) {
    const values = {
      user_id: v.userId,
      org_id: v.orgId,
      template_id: v.templateId,
      level: v.level,
      status: 'active' as const,
      certified_at: v.now,
      course_id: v.courseId ?? null,
      attempt_id: v.attemptId ?? null,
      granted_by: v.grantedBy ?? null,
      updated_at: v.now,
    };
    return trx
      .insertInto('certifications')
      .values(values)
      .onConflict((oc) =>
        oc.columns(['user_id', 'template_id']).doUpdateSet({
          level: values.level,
          status: 'active',
          certified_at: values.certified_at,
          course_id: values.course_id,
          attempt_id: values.attempt_id,
          granted_by: values.granted_by,
          updated_at: values.updated_at,
        }),
      )
      .execute();
  }

  async revoke(userId: number, templateId: string, now: number): Promise<boolean> {
    const r = await this.db
      .updateTable('certifications')
      .set({ status: 'revoked', updated_at: now })
      .where('user_id', '=', userId)
      .where('template_id', '=', templateId)
      .where('status', '=', 'active')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }
}
