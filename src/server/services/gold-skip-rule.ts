/**
 * The skip rule in a project: a worker's skip rate on check (gold) items against her
 * skip rate on regular items (core/quality/skip-rule.ts), counted since her last
 * reinstatement. Skipped, released and expired leases all count as skips, on both
 * sides alike. The project's `gold_skip_action` says what it does (none, warn,
 * suspend); StandingService judges it with the other rules and logs what it did.
 */
import { skipVerdict, type SkipVerdict } from '../../core/quality/skip-rule.js';
import type { Executor } from '../db/tx.js';
import type { Project } from '../db/types.js';
import type { AssignmentRepository } from '../repositories/assignment.repository.js';

export interface SkipRuleVerdict {
  status: 'warned' | 'suspended';
  reason: 'gold_skips';
  figures: SkipVerdict & { goldLeases: number; goldSkips: number; regularLeases: number; regularSkips: number };
}

export class GoldSkipRule {
  constructor(private readonly assignments: AssignmentRepository) {}

  /** What the rule does to her now (from `since`, up to `until`), or null when it does not act. */
  async verdict(
    trx: Executor,
    project: Project,
    workerId: number,
    since = 0,
    until?: number,
  ): Promise<SkipRuleVerdict | null> {
    if (project.gold_skip_action === 'none' || project.gold_rate <= 0) return null;
    const c = await this.assignments.skipCounts(trx, project.id, workerId, since, until);
    if (c.gold.skips === 0) return null;
    const v = skipVerdict(c, { minLeases: project.min_gold, margin: project.gold_skip_margin });
    if (!v.acts) return null;
    return {
      status: project.gold_skip_action === 'suspend' ? 'suspended' : 'warned',
      reason: 'gold_skips',
      figures: {
        ...v,
        goldLeases: c.gold.leases,
        goldSkips: c.gold.skips,
        regularLeases: c.regular.leases,
        regularSkips: c.regular.skips,
      },
    };
  }
}
