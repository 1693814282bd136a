/**
 * Certification: a worker may take a project's items only while she holds an active
 * certification for the project's template. Passing a course's exam grants (or
 * renews) it with a level and lifts any suspension she has in projects on that
 * template; a manager may also grant or revoke one by hand.
 */
import { builtinTemplates } from '../../core/templates/index.js';
import type { Db } from '../db/database.js';
import { withTx, type Executor } from '../db/tx.js';
import type { Project } from '../db/types.js';
import { forbidden, notFound } from '../errors.js';
import type { CertificationRepository } from '../repositories/certification.repository.js';
import type { ProjectRepository } from '../repositories/project.repository.js';
import type { QualityRepository } from '../repositories/quality.repository.js';
import type { UserRepository } from '../repositories/user.repository.js';
import { requireRole, type Actor } from './access.js';
import type { Clock } from './clock.js';
import { templateOf } from './project.service.js';
import { TtlCache } from './ttl-cache.js';

/**
 * The lease asks on every call; another process sees a grant or a revocation within
 * this time (this process at once: it forgets what it changes).
 */
const GATE_TTL_MS = 2000;

export class CertificationService {
  private readonly gate = new TtlCache<string, boolean>(GATE_TTL_MS);

  constructor(
    private readonly db: Db,
    private readonly certs: CertificationRepository,
    private readonly users: UserRepository,
    private readonly projects: ProjectRepository,
    private readonly quality: QualityRepository,
    private readonly clock: Clock,
  ) {}

  /** The lease's gate: refuses a worker not certified for the project's template. */
  async assertCertified(actor: Actor, project: Project) {
    const templateId = templateOf(project).id;
    const key = `${actor.id}:${templateId}`;
    if (!(await this.gate.get(key, () => this.certs.isActive(actor.id, templateId)))) {
      throw forbidden(
        'not_certified',
        `Pass the training exam for the ${templateId} template before taking this project's items.`,
      );
    }
  }

  /** The organisation's projects, for `certifyFromExam`. */
  orgProjects(orgId: number) {
    return this.projects.listForOrg(orgId, false);
  }

  /** A worker's own certifications, or (for managers) anyone's in the organisation. */
  async list(actor: Actor, query: { userId?: number; templateId?: string } = {}) {
    if (actor.role === 'client') throw notFound('certification');
    const manager = actor.role === 'admin' || actor.role === 'manager';
    if (!manager || query.userId === actor.id) {
      return (await this.certs.ofUser(actor.id)).map((c) => ({
        userId: c.user_id,
        templateId: c.template_id,
        level: c.level,
        status: c.status,
        certifiedAt: new Date(c.certified_at).toISOString(),
        byExam: c.attempt_id !== null,
      }));
    }
    const rows = await this.certs.ofOrg(actor.org_id, query.templateId);
    return rows
      .filter((c) => query.userId === undefined || c.user_id === query.userId)
      .map((c) => ({
        userId: c.user_id,
        username: c.username,
        name: c.display_name,
        templateId: c.template_id,
        level: c.level,
        status: c.status,
        certifiedAt: new Date(c.certified_at).toISOString(),
        byExam: c.attempt_id !== null,
      }));
  }

  /** A manager certifies a worker by hand (an experienced hand, or a custom template without a course). */
  async grant(actor: Actor, userId: number, templateId: string, level: number) {
    requireRole(actor, 'admin', 'manager');
    const worker = await this.workerOf(actor, userId);
    await withTx(this.db, (trx) =>
      this.certs.upsert(trx, {
        userId: worker.id,
        orgId: worker.org_id,
        templateId,
        level,
        now: this.clock.now(),
        grantedBy: actor.id,
      }),
    );
    this.gate.delete(`${worker.id}:${templateId}`);
    return { userId: worker.id, templateId, level, status: 'active' as const };
  }

  async revoke(actor: Actor, userId: number, templateId: string) {
    requireRole(actor, 'admin', 'manager');
    const worker = await this.workerOf(actor, userId);
    const done = await this.certs.revoke(worker.id, templateId, this.clock.now());
    this.gate.delete(`${worker.id}:${templateId}`);
    if (!done) throw notFound('certification');
    return { userId: worker.id, templateId, status: 'revoked' as const };
  }

  /**
   * A passed exam, inside its transaction: certifies the worker at `level` and lifts
   * her suspensions in the organisation's projects on this template (a fresh run of
   * gold checks decides from here, as after a manager's reinstatement). `projects`
   * are the organisation's projects, read before the transaction. Returns the projects
   * whose suspension was lifted.
   */
  async certifyFromExam(
    trx: Executor,
    worker: { id: number; org_id: number },
    v: { templateId: string; level: number; courseId: number; attemptId: number },
    projects: readonly Project[],
  ): Promise<number[]> {
    const now = this.clock.now();
    await this.certs.upsert(trx, { userId: worker.id, orgId: worker.org_id, now, ...v });
    const lifted: number[] = [];
    for (const p of projects) {
      if (templateOf(p).id !== v.templateId) continue;
      const s = await this.quality.standing(p.id, worker.id, trx);
      if (s?.status !== 'suspended') continue;
      await this.quality.upsertStanding(trx, {
        project_id: p.id,
        worker_id: worker.id,
        status: 'active',
        accuracy: null,
        gold_count: 0,
        reason: 'recertified',
        updated_at: now,
      });
      lifted.push(p.id);
    }
    return lifted;
  }

  /** Forgets cached answers of the gate for one worker and template (after a commit). */
  forget(userId: number, templateId: string) {
    this.gate.delete(`${userId}:${templateId}`);
  }

  private async workerOf(actor: Actor, userId: number) {
    const user = await this.users.get(userId);
    if (!user || user.org_id !== actor.org_id) throw notFound('user');
    return user;
  }
}

/**
 * Certifies users for every built-in template (and `extraTemplateIds`) without an exam:
 * the demo's experienced worker, test factories and benchmarks, whose workers must
 * lease at once.
 */
export async function certifyForBuiltins(
  db: Executor,
  users: readonly { id: number; org_id: number }[],
  now: number,
  extraTemplateIds: readonly string[] = [],
  level = 1,
) {
  const templateIds = [...builtinTemplates.map((t) => t.id), ...extraTemplateIds];
  const rows = users.flatMap((u) =>
    templateIds.map((templateId) => ({
      user_id: u.id,
      org_id: u.org_id,
      template_id: templateId,
      level,
      status: 'active' as const,
      certified_at: now,
      course_id: null,
      attempt_id: null,
      granted_by: null,
      updated_at: now,
    })),
  );
  // Ten bound values a row: 3,000 rows a statement stays under SQLite's limit.
  for (let i = 0; i < rows.length; i += 3000) {
    await db
      .insertInto('certifications')
      .values(rows.slice(i, i + 3000))
      .onConflict((oc) => oc.columns(['user_id', 'template_id']).doNothing())
      .execute();
  }
}
