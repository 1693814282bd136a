import fs from 'node:fs';
import { employmentTables, type ReportTable } from '../../core/report/employment-tables.js';
import type { ReportLocale } from '../../core/report/labels.js';
import { createContext, type Context } from '../../server/context.js';
import { configFrom, type GlobalFlags } from '../main.js';

export interface ReportFlags {
  month?: string;
  from?: string;
  to?: string;
  trendMonths?: string;
  org?: string;
  out?: string;
  json?: boolean;
  lang?: string;
}

/**
 * `shugu report employment`: the report of one vendor organisation (the only one, or
 * `--org`) as text tables, as JSON (`--json`) or as an `.xlsx` file (`--out`). The
 * operator of the server runs it, so no role check applies; the privacy rules do.
 */
export async function reportEmploymentCommand(flags: GlobalFlags, opts: ReportFlags) {
  const lang = (opts.lang ?? 'zh-CN') as ReportLocale;
  if (lang !== 'zh-CN' && lang !== 'en') throw new Error('--lang must be zh-CN or en');
  if (opts.trendMonths !== undefined && !/^\d+$/.test(opts.trendMonths)) {
    throw new Error('--trend-months must be a whole number of months');
  }
  const query = {
    month: opts.month,
    from: opts.from,
    to: opts.to,
    lang,
    trendMonths: opts.trendMonths === undefined ? undefined : Number(opts.trendMonths),
  };
  const ctx = await createContext(configFrom(flags));
  try {
    const orgId = await vendorOrg(ctx, opts.org);
    const reports = ctx.services.reports;
    if (opts.out) {
      const { body } = await reports.employmentXlsxOf(orgId, query);
      fs.writeFileSync(opts.out, body);
      console.error(`wrote ${opts.out}`);
    }
    if (opts.json) console.log(JSON.stringify(await reports.employmentOf(orgId, query), null, 2));
    else if (!opts.out)
      console.log(
        employmentTables(await reports.employmentOf(orgId, query), lang)
          .map(asText)
          .join('\n\n'),
      );
  } finally {
    await ctx.close();
  }
}

async function vendorOrg(ctx: Context, org: string | undefined): Promise<number> {
  if (org !== undefined) {
    const found = /^\d+$/.test(org) ? await ctx.repos.orgs.get(Number(org)) : undefined;
    if (!found || found.kind !== 'vendor') throw new Error(`there is no vendor organisation ${org}`);
    return found.id;
  }
  const vendors = (await ctx.repos.orgs.list()).filter((o) => o.kind === 'vendor');
  if (vendors.length === 1) return vendors[0].id;
  if (vendors.length === 0) throw new Error('there is no vendor organisation yet');
  throw new Error(`there are ${vendors.length} vendor organisations; choose one with --org <id>`);
}

/** Chinese characters take two columns in a terminal. */
const width = (s: string) => [...s].reduce((w, ch) => w + (ch.charCodeAt(0) > 0x2e80 ? 2 : 1), 0);
const pad = (s: string, w: number, right: boolean) => {
  const fill = ' '.repeat(Math.max(0, w - width(s)));
  return right ? fill + s : s + fill;
};

function cellText(v: string | number | null, kind: string): string {
  if (v === null) return '';
  if (typeof v === 'string') return v;
  if (kind === 'rate') return `${(v * 100).toFixed(1)}%`;
  if (kind === 'yuan' || kind === 'hours') return v.toFixed(2);
  return String(v);
}

function asText(table: ReportTable): string {
  const kinds = (i: number) =>
    table.columns.map((c, k) => (k === table.columns.length - 1 && table.rowKinds ? table.rowKinds[i] : c.kind));
  const lines = [
    table.columns.map((c) => c.header),
    ...table.rows.map((r, i) => r.map((v, k) => cellText(v, kinds(i)[k]))),
    ...table.totals.map((r) => r.map((v, k) => cellText(v, table.columns[k].kind))),
  ];
  const widths = table.columns.map((_, k) => Math.max(...lines.map((l) => width(l[k] ?? ''))));
  const text = lines.map((l) =>
    l
      .map((v, k) => pad(v, widths[k], k > 0 && table.columns[k].kind !== 'text'))
      .join('  ')
      .trimEnd(),
  );
  return [table.title, ...text, ...table.notes].join('\n');
}
