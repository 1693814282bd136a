import type { EmploymentReport, Figures, GroupFigures, RetentionCell } from '../../../core/report/employment-types';
import { formatYuan } from '../../../core/pay/money';
import { useI18n, type MessageKey } from '../../i18n';

const FIGURES: [MessageKey, (f: Figures) => string][] = [
  ['report.workers', (f) => String(f.workers)],
  ['report.newWorkers', (f) => String(f.newWorkers)],
  ['report.activeWorkers', (f) => String(f.activeWorkers)],
  ['report.leavingWorkers', (f) => String(f.leavingWorkers)],
  ['report.activeDays', (f) => String(f.activeDays)],
  ['report.hours', (f) => f.hours.toFixed(2)],
  ['report.items', (f) => String(f.items)],
  ['report.accepted', (f) => String(f.accepted)],
  ['report.income', (f) => formatYuan(f.incomeFen)],
  ['report.incomePerWorker', (f) => (f.incomePerWorkerFen === null ? '—' : formatYuan(f.incomePerWorkerFen))],
  ['report.incomePerHour', (f) => (f.incomePerHourFen === null ? '—' : formatYuan(f.incomePerHourFen))],
];

export const rate = (r: number | null) => (r === null ? '—' : `${Math.round(r * 1000) / 10}%`);

function FigureHeads() {
  const { t } = useI18n();
  return (
    <>
      {FIGURES.map(([key]) => (
        <th key={key} className="num">
          {t(key)}
        </th>
      ))}
    </>
  );
}

function FigureCells({ figures }: { figures: Figures }) {
  return (
    <>
      {FIGURES.map(([key, show]) => (
        <td key={key} className="num">
          {show(figures)}
        </td>
      ))}
    </>
  );
}

/** A group's figures, or `<3` and empty cells for a group under the threshold. */
function GroupCells({ group }: { group: GroupFigures }) {
  if (group.figures) return <FigureCells figures={group.figures} />;
  return (
    <>
      <td className="num">{group.workers}</td>
      {FIGURES.slice(1).map(([key]) => (
        <td key={key} />
      ))}
    </>
  );
}

type SmallGroups = EmploymentReport['byArea']['smallGroups'];

function SmallGroupsRow({ small, lead, min }: { small: SmallGroups; lead: number; min: number }) {
  const { t } = useI18n();
  if (!small) return null;
  return (
    <tr className="muted">
      <td colSpan={lead}>{t('report.smallGroups', { min, groups: small.groups })}</td>
      <GroupCells group={small} />
    </tr>
  );
}

export function HouseholdTable({ report }: { report: EmploymentReport }) {
  const { t, locale } = useI18n();
  const b = report.byHousehold;
  return (
    <table className="table" data-testid="report-household-table">
      <thead>
        <tr>
          <th>{t('report.household')}</th>
          <FigureHeads />
        </tr>
      </thead>
      <tbody>
        {b.rows.map((r) => (
          <tr key={r.code} data-code={r.code}>
            <td>{(locale === 'en' ? r.labelEn : r.labelZh) || t('report.notGiven')}</td>
            <GroupCells group={r} />
          </tr>
        ))}
        <SmallGroupsRow small={b.smallGroups} lead={1} min={report.minGroupSize} />
        <tr className="total">
          <th>{t('report.total')}</th>
          <FigureCells figures={b.total} />
        </tr>
      </tbody>
    </table>
  );
}

export function AreaTable({ report }: { report: EmploymentReport }) {
  const { t } = useI18n();
  const b = report.byArea;
  return (
    <table className="table" data-testid="report-area-table">
      <thead>
        <tr>
          <th>{t('report.county')}</th>
          <th>{t('report.township')}</th>
          <FigureHeads />
        </tr>
      </thead>
      <tbody>
        {b.rows.map((r) => (
          <tr key={`${r.county}/${r.township}`}>
            <td>{r.county ?? t('report.notGiven')}</td>
            <td>{r.township ?? t('report.notGiven')}</td>
            <GroupCells group={r} />
          </tr>
        ))}
        <SmallGroupsRow small={b.smallGroups} lead={2} min={report.minGroupSize} />
        <tr className="total">
          <th colSpan={2}>{t('report.total')}</th>
          <FigureCells figures={b.total} />
        </tr>
      </tbody>
    </table>
  );
}

export function TrendTable({ report }: { report: EmploymentReport }) {
  const { t } = useI18n();
  return (
    <table className="table" data-testid="report-trend-table">
      <thead>
        <tr>
          <th>{t('report.month')}</th>
          <FigureHeads />
        </tr>
      </thead>
      <tbody>
        {report.trend.map((m) => (
          <tr key={m.month}>
            <td>{m.month}</td>
            <FigureCells figures={m} />
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function WorkerTable({ report }: { report: EmploymentReport }) {
  const { t, locale } = useI18n();
  const labels = new Map(report.householdStatuses.map((s) => [s.code, locale === 'en' ? s.labelEn : s.labelZh]));
  const { named, unnamed, total } = report.workers;
  return (
    <table className="table" data-testid="report-worker-table">
      <thead>
        <tr>
          <th>{t('report.name')}</th>
          <th>{t('report.household')}</th>
          <th>{t('report.county')}</th>
          <th>{t('report.township')}</th>
          <th>{t('report.village')}</th>
          <FigureHeads />
        </tr>
      </thead>
      <tbody>
        {named.map((w) => (
          <tr key={w.id}>
            <td>{w.name}</td>
            <td>{w.household === null ? '' : (labels.get(w.household) ?? w.household)}</td>
            <td>{w.county}</td>
            <td>{w.township}</td>
            <td>{w.village}</td>
            <FigureCells figures={w.figures} />
          </tr>
        ))}
        {unnamed.count > 0 && (
          <tr className="muted" data-testid="report-unnamed">
            <td colSpan={5}>{t('report.unnamed', { n: unnamed.count })}</td>
            <FigureCells figures={unnamed.figures} />
          </tr>
        )}
        <tr className="total">
          <th colSpan={5}>{t('report.total')}</th>
          <FigureCells figures={total} />
        </tr>
      </tbody>
    </table>
  );
}

function RetentionCells({ cell }: { cell: RetentionCell }) {
  return (
    <>
      <td className="num">{cell.observed ? cell.retained : '—'}</td>
      <td className="num">{rate(cell.rate)}</td>
    </>
  );
}

export function CohortTable({ report }: { report: EmploymentReport }) {
  const { t } = useI18n();
  const { rows, total } = report.cohorts;
  return (
    <table className="table" data-testid="report-cohort-table">
      <thead>
        <tr>
          <th>{t('report.cohort')}</th>
          <th className="num">{t('report.cohortSize')}</th>
          <th className="num">{t('report.after3')}</th>
          <th className="num">{t('report.retention3')}</th>
          <th className="num">{t('report.after6')}</th>
          <th className="num">{t('report.retention6')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.cohort}>
            <td>{r.cohort}</td>
            <td className="num">{r.size}</td>
            <RetentionCells cell={r.after3} />
            <RetentionCells cell={r.after6} />
          </tr>
        ))}
        <tr className="total">
          <th>{t('report.total')}</th>
          <td className="num">{total.size}</td>
          <td className="num">{total.after3.retained}</td>
          <td className="num">{rate(total.after3.rate)}</td>
          <td className="num">{total.after6.retained}</td>
          <td className="num">{rate(total.after6.rate)}</td>
        </tr>
      </tbody>
    </table>
  );
}
