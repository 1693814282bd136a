/**
 * Reads a cohort sheet (.xlsx or .csv) into text cells with their line numbers, and
 * writes the blank template managers fill in. CSV from Chinese Excel is often GB18030
 * rather than UTF-8; both are read.
 */
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import yauzl from 'yauzl';
import { COHORT_HEADERS, COHORT_KEYS } from '../../core/people/cohort.js';
import { badRequest, tooLarge } from '../errors.js';

export interface SheetRows {
  headers: string[];
  rows: { line: number; cells: string[] }[];
}

/** A cohort is a village group, tens to hundreds of people: 2,000 rows bounds the work of one request. */
export const MAX_COHORT_ROWS = 2000;
/** A 2,000-row sheet is well under 1 MiB; anything near this is not a cohort. */
export const MAX_SHEET_BYTES = 5 * 1024 * 1024;
/** Unpacked size of an .xlsx: its XML compresses well, but not to a bomb's ratio within this. */
const MAX_XLSX_UNPACKED = 64 * 1024 * 1024;

export async function readSheet(buf: Buffer): Promise<SheetRows> {
  if (buf.length > MAX_SHEET_BYTES) throw tooLarge('upload_too_large', 'A cohort sheet is at most 5 MiB.');
  let table: SheetRows;
  if (buf.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) table = await readXlsx(buf);
  else if (buf.subarray(0, 4).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0]))) {
    throw badRequest('unsupported_sheet', 'Old .xls files are not read: save the sheet as .xlsx or .csv.');
  } else table = readCsv(buf);
  if (table.headers.every((h) => !h)) throw badRequest('empty_sheet', 'The sheet has no header row.');
  if (table.rows.length > MAX_COHORT_ROWS) {
    throw badRequest('too_many_rows', `A sheet holds at most ${MAX_COHORT_ROWS} people; split it.`);
  }
  return table;
}

function decodeText(buf: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    return new TextDecoder('gb18030').decode(buf);
  }
}

function readCsv(buf: Buffer): SheetRows {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(decodeText(buf), {
      bom: true,
      relax_column_count: true,
      info: true,
      skip_empty_lines: false,
    }) as unknown as typeof records;
  } catch (err) {
    throw badRequest('invalid_csv', `The CSV file cannot be read: ${(err as Error).message}`);
  }
  const rows = records.map(({ record, info }) => ({
    // info.lines is the line a record ends on; a quoted cell may span lines.
    line: info.lines - record.reduce((n, c) => n + (c.match(/\n/g)?.length ?? 0), 0),
    cells: record.map((c) => c.trim()),
  }));
  const [header, ...data] = rows;
  return { headers: header?.cells ?? [], rows: data.filter((r) => r.cells.some((c) => c !== '')) };
}

/** Counts every entry's real unpacked bytes (yauzl checks them against the headers) before exceljs sees the file. */
async function assertSmallZip(buf: Buffer): Promise<void> {
  let total = 0;
  let zip: yauzl.ZipFile;
  try {
    zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
      yauzl.fromBuffer(buf, { lazyEntries: true }, (err, z) => (err ? reject(err) : resolve(z))),
    );
  } catch {
    throw badRequest('invalid_xlsx', 'The .xlsx file is damaged.');
  }
  await new Promise<void>((resolve, reject) => {
    const fail = (err: Error) => (zip.close(), reject(err));
    zip.on('error', () => fail(badRequest('invalid_xlsx', 'The .xlsx file is damaged.')));
    zip.on('end', () => resolve());
    zip.on('entry', (entry: yauzl.Entry) => {
      if (entry.fileName.endsWith('/')) return zip.readEntry();
      zip.openReadStream(entry, (err, stream) => {
        if (err) return fail(badRequest('invalid_xlsx', 'The .xlsx file is damaged.'));
        stream.on('data', (chunk: Buffer) => {
          total += chunk.length;
          if (total > MAX_XLSX_UNPACKED) {
            stream.destroy();
            fail(tooLarge('upload_too_large', 'The .xlsx file unpacks to more than a cohort sheet ever needs.'));
          }
        });
        stream.on('error', () => fail(badRequest('invalid_xlsx', 'The .xlsx file is damaged.')));
        stream.on('end', () => zip.readEntry());
      });
    });
    zip.readEntry();
  });
}

/** A cell as the text a person sees: dates as YYYY-MM-DD, formulas by their result. */
function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v === 'string') return v.trim();
  if ('richText' in v)
    return v.richText
      .map((r) => r.text)
      .join('')
      .trim();
  if ('formula' in v || 'sharedFormula' in v)
    return cellText((v as ExcelJS.CellFormulaValue).result as ExcelJS.CellValue);
  if ('text' in v) return String(v.text).trim();
  return '';
}

async function readXlsx(buf: Buffer): Promise<SheetRows> {
  await assertSmallZip(buf);
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
  } catch {
    throw badRequest('invalid_xlsx', 'The .xlsx file cannot be read.');
  }
  const ws = wb.worksheets[0];
  if (!ws) throw badRequest('empty_sheet', 'The workbook has no sheet.');
  let headers: string[] | null = null;
  const rows: SheetRows['rows'] = [];
  ws.eachRow({ includeEmpty: false }, (row, line) => {
    const width = headers?.length ?? row.cellCount;
    const cells = Array.from({ length: width }, (_, i) => cellText(row.getCell(i + 1).value));
    if (headers === null) headers = cells;
    else if (cells.some((c) => c !== '')) rows.push({ line, cells });
  });
  return { headers: headers ?? [], rows };
}

/** The blank template: the columns in order and a second sheet saying how to fill each (no example row to forget). */
export async function templateWorkbook(householdLabels: string[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('人员名单');
  ws.columns = COHORT_KEYS.map((k) => ({ header: COHORT_HEADERS[k], key: k, width: k === 'household' ? 18 : 14 }));
  ws.getRow(1).font = { bold: true };
  // Phones as text: Excel would otherwise show a long number in scientific notation.
  ws.getColumn('phone').numFmt = '@';
  ws.getColumn('startDate').numFmt = 'yyyy-mm-dd';
  const help = wb.addWorksheet('填写说明');
  help.columns = [
    { header: '列', key: 'col', width: 14 },
    { header: '说明', key: 'text', width: 80 },
  ];
  help.getRow(1).font = { bold: true };
  help.addRows([
    { col: '姓名', text: '必填。' },
    { col: '手机号', text: '可空；11 位手机号或带区号的座机。' },
    { col: '县 / 乡镇 / 村', text: '可空；用于就业报表按地区统计。' },
    { col: '户籍类别', text: `可空（默认一般户）；填写以下之一：${householdLabels.join('、')}。` },
    { col: '入职日期', text: '可空（默认导入当天）；格式 2026-12-01。' },
    { col: '同意具名', text: '是 / 否；可空（默认否）。只有填“是”的人才会在报表中显示姓名。' },
    { col: '班组', text: '可空；不存在的班组会自动创建。' },
    { col: '用户名', text: '可空；留空时系统自动生成（w0001、w0002……）。' },
  ]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The same template as CSV (UTF-8 with a BOM, so Excel opens the Chinese headers correctly). */
export function templateCsv(): string {
  return '\ufeff' + COHORT_KEYS.map((k) => COHORT_HEADERS[k]).join(',') + '\r\n';
}
