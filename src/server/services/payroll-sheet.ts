/**
 * The payroll of a period as a file: `.xlsx` (exceljs) or CSV, one row per worker,
 * the same columns in the same order. Amounts are written both in fen (exact
 * integers, what the ledger holds) and in yuan; the sheet adds a totals row.
 */
import ExcelJS from 'exceljs';
import { fenToYuan } from '../../core/pay/money.js';
import type { Payroll, PayrollRow } from './pay.service.js';

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const PAYROLL_SHEET = '工资单 Payroll';

type Cell = string | number | null;
interface Column {
  header: string;
  /** Fen columns are integers; yuan and hours carry two decimals. */
  kind: 'text' | 'int' | 'yuan' | 'hours' | 'flag';
  value: (r: PayrollRow) => Cell;
  /** The totals row: a figure, or blank where a sum means nothing. */
  total?: (t: Payroll['totals']) => Cell;
}

const yuan = (fen: number | null) => (fen === null ? null : Number(fenToYuan(fen)));

/** The payroll's columns, Chinese first. */
export const PAYROLL_COLUMNS: Column[] = [
  { header: '姓名 Name', kind: 'text', value: (r) => r.name },
  { header: '用户名 Username', kind: 'text', value: (r) => r.username },
  { header: '户籍类别 Household status', kind: 'text', value: (r) => r.householdLabel },
  { header: '验收件数 Items accepted', kind: 'int', value: (r) => r.itemsAccepted, total: (t) => t.itemsAccepted },
  { header: '计件收入（分）Gross (fen)', kind: 'int', value: (r) => r.grossFen, total: (t) => t.grossFen },
  {
    header: '计件收入（元）Gross (yuan)',
    kind: 'yuan',
    value: (r) => yuan(r.grossFen),
    total: (t) => yuan(t.grossFen),
  },
  { header: '奖金（分）Bonus (fen)', kind: 'int', value: (r) => r.bonusFen, total: (t) => t.bonusFen },
  {
    header: '保底补足（分）Floor top-up (fen)',
    kind: 'int',
    value: (r) => r.floorTopUpFen,
    total: (t) => t.floorTopUpFen,
  },
  { header: '冲销（分）Reversals (fen)', kind: 'int', value: (r) => r.reversalsFen, total: (t) => t.reversalsFen },
  {
    header: '调整（分）Adjustments (fen)',
    kind: 'int',
    value: (r) => r.adjustmentsFen,
    total: (t) => t.adjustmentsFen,
  },
  { header: '本期应得（分）Net (fen)', kind: 'int', value: (r) => r.netFen, total: (t) => t.netFen },
  { header: '本期应得（元）Net (yuan)', kind: 'yuan', value: (r) => yuan(r.netFen), total: (t) => yuan(t.netFen) },
  { header: '已发放（分）Paid out (fen)', kind: 'int', value: (r) => r.payoutsFen, total: (t) => t.payoutsFen },
  { header: '余额（分）Balance (fen)', kind: 'int', value: (r) => r.balanceFen, total: (t) => t.balanceFen },
  {
    header: '余额（元）Balance (yuan)',
    kind: 'yuan',
    value: (r) => yuan(r.balanceFen),
    total: (t) => yuan(t.balanceFen),
  },
  { header: '有效工时（小时）Active hours', kind: 'hours', value: (r) => r.activeHours, total: (t) => t.activeHours },
  {
    header: '实际时薪（元/小时）Effective hourly (yuan)',
    kind: 'yuan',
    value: (r) => yuan(r.effectiveHourlyFen),
  },
  { header: '低于最低工资 Below minimum', kind: 'flag', value: (r) => (r.belowMinimum ? '是 yes' : '否 no') },
];

const FORMATS: Record<Column['kind'], string | undefined> = {
  text: undefined,
  flag: undefined,
  int: '0',
  yuan: '0.00',
  hours: '0.00',
};

/** A spreadsheet runs text starting with these as a formula: names are data, never code. */
function defuse(s: string): string {
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}

function csvField(v: Cell, kind: Column['kind']): string {
  if (v === null) return '';
  if (typeof v === 'number') return kind === 'yuan' ? v.toFixed(2) : String(v);
  const s = defuse(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** CSV with a byte-order mark, so spreadsheet programs read the Chinese as UTF-8. */
export function payrollCsv(payroll: Payroll): string {
  const lines = [PAYROLL_COLUMNS.map((c) => csvField(c.header, 'text')).join(',')];
  for (const r of payroll.rows) lines.push(PAYROLL_COLUMNS.map((c) => csvField(c.value(r), c.kind)).join(','));
  return '\uFEFF' + lines.join('\r\n') + '\r\n';
}

/**
 * The workbook: the payroll sheet (row 1 headers, one row per worker, then a bold
 * totals row) and an "about" sheet naming the period, its status and the minimum wage.
 */
export async function payrollXlsx(payroll: Payroll, created: Date): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Shugu';
  workbook.created = created;
  workbook.modified = created;
  const sheet = workbook.addWorksheet(PAYROLL_SHEET);
  sheet.addRow(PAYROLL_COLUMNS.map((c) => c.header)).font = { bold: true };
  for (const r of payroll.rows) sheet.addRow(PAYROLL_COLUMNS.map((c) => c.value(r)));
  const totals = sheet.addRow(
    PAYROLL_COLUMNS.map((c, i) => (i === 0 ? '合计 Total' : (c.total?.(payroll.totals) ?? null))),
  );
  totals.font = { bold: true };
  PAYROLL_COLUMNS.forEach((c, i) => {
    const col = sheet.getColumn(i + 1);
    col.width = Math.max(12, Math.min(30, c.header.length + 4));
    if (FORMATS[c.kind]) col.numFmt = FORMATS[c.kind]!;
  });
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  const about = workbook.addWorksheet('说明 About');
  about.addRows([
    ['期间 Period', payroll.period],
    ['状态 Status', payroll.status === 'closed' ? '已结算 closed' : '未结算 open'],
    ['当地最低小时工资（元）Local minimum hourly wage (yuan)', Number(fenToYuan(payroll.minHourlyWageFen))],
    ['生成时间 Generated (UTC)', created.toISOString()],
  ]);
  about.getColumn(1).width = 48;
  about.getColumn(2).width = 24;
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
