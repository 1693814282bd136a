/**
 * A cohort arrives as a sheet. The preview names every bad row (line and reason) and
 * creates nothing; the confirmation checks the same file again and creates everyone
 * in one transaction, each with a one-time code for the manager's printed list.
 * Both steps take the file, so no half-finished import waits on the server between them.
 */
import { checkCohort, mapHeader, type CohortKey, type CohortSource } from '../../core/people/cohort.js';
import { nextUsernames, utcDate } from '../../core/people/profile.js';
import { badRequest } from '../errors.js';
import type { HouseholdRepository } from '../repositories/household.repository.js';
import type { PeopleRepository } from '../repositories/people.repository.js';
import type { TeamRepository } from '../repositories/team.repository.js';
import { requireRole, type Actor } from './access.js';
import type { Clock } from './clock.js';
import { readSheet, templateCsv, templateWorkbook } from './cohort-sheet.js';
import type { PeopleService } from './people.service.js';

export class CohortImportService {
  constructor(
    private readonly peopleService: PeopleService,
    private readonly people: PeopleRepository,
    private readonly teams: TeamRepository,
    private readonly households: HouseholdRepository,
    private readonly clock: Clock,
  ) {}

  /** What the import would do; writes nothing. */
  async preview(actor: Actor, file: Buffer) {
    requireRole(actor, 'admin', 'manager');
    const c = await this.check(actor, file);
    const predicted = nextUsernames(
      await this.people.sequenceNames(),
      c.rows.filter((r) => r.username === null).length,
    );
    return {
      ok: !c.problems.some((p) => p.severity === 'error'),
      total: c.sources.length,
      valid: c.rows.length,
      columns: c.columns,
      sheet: c.sources,
      problems: c.problems,
      // Names the confirmation will most likely give; another import in between can shift them.
      rows: c.rows.map((r) => ({ ...r, username: r.username ?? predicted.shift()! })),
      newTeams: c.newTeams,
    };
  }

  /** Creates everyone on the sheet, or nobody when any row has an error. */
  async confirm(actor: Actor, file: Buffer) {
    requireRole(actor, 'admin', 'manager');
    const c = await this.check(actor, file);
    const errors = c.problems.filter((p) => p.severity === 'error');
    if (errors.length > 0) {
      const lines = new Set(errors.map((p) => p.line)).size;
      throw badRequest('import_has_errors', `${lines} row(s) have problems; nobody was created.`, errors);
    }
    if (c.rows.length === 0) throw badRequest('empty_sheet', 'The sheet has no people in it.');
    const created = await this.peopleService.createMany(
      actor.org_id,
      actor.id,
      c.rows.map((r) => ({
        displayName: r.displayName,
        username: r.username,
        role: 'worker',
        phone: r.phone,
        county: r.county,
        township: r.township,
        village: r.village,
        household: r.household,
        startDate: r.startDate,
        consentNamed: r.consentNamed,
        teamId: null,
        teamName: r.team,
      })),
    );
    return {
      created: created.map((p, i) => ({ ...p, line: c.rows[i].line, team: c.rows[i].team })),
      newTeams: c.newTeams,
    };
  }

  async template(actor: Actor, format: 'xlsx' | 'csv'): Promise<Buffer> {
    requireRole(actor, 'admin', 'manager');
    if (format === 'csv') return Buffer.from(templateCsv(), 'utf8');
    const statuses = (await this.households.list()).filter((h) => h.active);
    return templateWorkbook(statuses.map((h) => h.label_zh));
  }

  private async check(actor: Actor, file: Buffer) {
    const sheet = await readSheet(file);
    const { columns, missing } = mapHeader(sheet.headers);
    if (missing.length > 0) {
      throw badRequest('missing_columns', 'The sheet needs at least the column 姓名 (name).', { missing });
    }
    const sources: CohortSource[] = sheet.rows.map((r) => ({
      line: r.line,
      cells: Object.fromEntries(columns.flatMap((k, i) => (k ? [[k, r.cells[i] ?? '']] : []))) as Partial<
        Record<CohortKey, string>
      >,
    }));
    const wanted = [...new Set(sources.map((s) => s.cells.username?.trim()).filter((u): u is string => !!u))];
    const [statuses, takenUsernames, knownPhones, teams] = await Promise.all([
      this.households.list(),
      this.people.takenUsernames(wanted),
      this.people.phonesInOrg(actor.org_id),
      this.teams.list(actor.org_id),
    ]);
    const { rows, problems } = checkCohort(sources, {
      statuses,
      takenUsernames,
      knownPhones,
      today: utcDate(this.clock.now()),
    });
    const existing = new Set(teams.map((t) => t.name));
    const newTeams = [...new Set(rows.map((r) => r.team).filter((t): t is string => !!t && !existing.has(t)))];
    return {
      sources,
      rows,
      problems,
      newTeams,
      columns: sheet.headers.map((h, i) => ({ header: h, field: columns[i] })),
    };
  }
}
