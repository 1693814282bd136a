/**
 * Writes report tables (`core/report/employment-tables.ts`) as an `.xlsx` workbook:
 * one sheet per table, a title row, a header row, the body, bold totals and notes.
 * Figures are written as numbers with a number format, never as text, so a
 * spreadsheet can sum them; `<3` is the only text in a figure column.
 *
 * Layout of every sheet (1-based rows): 1 title, 2 header, 3… body, then totals,
 * then one empty row and the notes.
 */
import ExcelJS from 'exceljs';
import type { CellKind, ReportTable } from '../../core/report/employment-tables.js';

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const XLSX_HEADER_ROW = 2;

const FORMATS: Record<CellKind, string | undefined> = {
  text: undefined,
  int: '#,##0',
  hours: '#,##0.00',
  yuan: '#,##0.00',
  rate: '0.0%',
};

/** Excel refuses sheet names over 31 characters or with any of `[]:*?/\`. */
export function sheetName(name: string, taken: Set<string>): string {
  const base = name.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31) || 'Sheet';
  let out = base;
  for (let i = 2; taken.has(out.toLowerCase()); i++) out = `${base.slice(0, 31 - String(i).length - 1)} ${i}`;
  taken.add(out.toLowerCase());
  return out;
}

export async function tablesToXlsx(tables: ReportTable[], created: Date): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Shugu';
  workbook.created = created;
  workbook.modified = created;
  const taken = new Set<string>();
  for (const table of tables) writeSheet(workbook.addWorksheet(sheetName(table.sheet, taken)), table);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

function writeSheet(ws: ExcelJS.Worksheet, table: ReportTable) {
  const width = table.columns.length;
  ws.getCell(1, 1).value = table.title;
  ws.getCell(1, 1).font = { bold: true, size: 13 };
  const header = ws.getRow(XLSX_HEADER_ROW);
  table.columns.forEach((c, i) => (header.getCell(i + 1).value = c.header));
  header.font = { bold: true };
  header.alignment = { wrapText: true, vertical: 'middle' };
  ws.views = [{ state: 'frozen', ySplit: XLSX_HEADER_ROW }];

  let r = XLSX_HEADER_ROW + 1;
  table.rows.forEach((cells, i) => {
    const kinds = table.columns.map((c, k) => (k === width - 1 && table.rowKinds ? table.rowKinds[i] : c.kind));
    writeRow(ws.getRow(r++), cells, kinds);
  });
  for (const cells of table.totals) {
    const row = ws.getRow(r++);
    writeRow(
      row,
      cells,
      table.columns.map((c) => c.kind),
    );
    row.font = { bold: true };
    row.border = { top: { style: 'thin' } };
  }
  r++;
  for (const note of table.notes) ws.getCell(r++, 1).value = note;

  table.columns.forEach((c, i) => {
    const longest = Math.max(displayWidth(c.header), ...table.rows.map((row) => displayWidth(String(row[i] ?? ''))));
    ws.getColumn(i + 1).width = Math.min(40, Math.max(8, longest + 2));
  });
}

function writeRow(row: ExcelJS.Row, cells: (string | number | null)[], kinds: CellKind[]) {
  cells.forEach((value, i) => {
    if (value === null) return;
    const cell = row.getCell(i + 1);
    cell.value = value;
    const fmt = typeof value === 'number' ? FORMATS[kinds[i]] : undefined;
    if (fmt) cell.numFmt = fmt;
    if (typeof value === 'string' && kinds[i] !== 'text') cell.alignment = { horizontal: 'right' };
  });
}

/** Chinese characters take two columns' width. */
function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += ch.charCodeAt(0) > 0x2e80 ? 2 : 1;
  return w;
}
