#!/usr/bin/env node
/**
 * The `shugu` command: serve (the default), import images or a manifest, export,
 * and add users. Every command reads the same configuration as the server.
 */
import { Command, Option } from 'commander';
import { DEFAULT_EXPORT_OPTIONS, EXPORT_MODES, UNFINISHED_CHOICES } from '../core/api/export-options.js';
import { ConfigError, loadConfig } from '../server/config.js';
import { exportCommand } from './commands/export.js';
import { importCommand, importManifestCommand } from './commands/import.js';
import { serveCommand } from './commands/serve.js';
import { orgsAddCommand } from './commands/orgs.js';
import { reportEmploymentCommand } from './commands/report.js';
import { usersAddCommand } from './commands/users.js';

export interface GlobalFlags {
  port?: string;
  host?: string;
  dataDir?: string;
  database?: string;
  blobDir?: string;
  trustProxy?: string;
}

export function configFrom(flags: GlobalFlags) {
  return loadConfig(process.env, {
    port: flags.port,
    host: flags.host,
    dataDir: flags.dataDir,
    databaseUrl: flags.database,
    blobDir: flags.blobDir,
    trustProxy: flags.trustProxy,
  });
}

const program = new Command()
  .name('shugu')
  .description('数谷 Shugu — data-annotation workforce platform')
  .option('--port <port>', 'HTTP port (SHUGU_PORT, default 8080)')
  .option('--host <host>', 'address to listen on (SHUGU_HOST, default 0.0.0.0)')
  .option('--data-dir <dir>', 'data folder (SHUGU_DATA_DIR, default ./data)')
  .option('--database <url>', 'sqlite:<path> or postgres://… (SHUGU_DATABASE_URL)')
  .option('--blob-dir <dir>', 'image folder (SHUGU_BLOB_DIR, default <data>/blobs)')
  .option('--trust-proxy <list>', 'reverse proxies to believe, comma-separated addresses/CIDRs (SHUGU_TRUST_PROXY)');

program
  .command('serve', { isDefault: true })
  .description('start the server (seeds a demo project on first start)')
  .option('--no-seed', 'do not seed the demo on an empty database')
  .action((opts) => serveCommand(program.opts<GlobalFlags>(), opts));

program
  .command('import')
  .description('import every image under a server folder into a project')
  .argument('<project>', 'project id')
  .argument('<folder>', 'folder of JPEG, PNG or WebP images (searched recursively)')
  .action((project, folder) => importCommand(program.opts<GlobalFlags>(), Number(project), folder));

program
  .command('import-manifest')
  .description('import a manifest (JSON Lines or CSV rows naming stored images or files on disk)')
  .argument('<project>', 'project id')
  .argument('<file>', 'manifest file; .csv is read as CSV, anything else as JSON Lines')
  .action((project, file) => importManifestCommand(program.opts<GlobalFlags>(), Number(project), file));

program
  .command('export')
  .description('export a project as COCO keypoints JSON (by default the final dataset; see docs/export.md)')
  .argument('<project>', 'project id')
  .option('-o, --out <file>', 'output file (default: standard output)')
  .addOption(
    new Option(
      '--mode <mode>',
      'final: one result per face of each finished item; accepted: the answers that count; all: every answer with its status',
    )
      .choices(EXPORT_MODES)
      .default(DEFAULT_EXPORT_OPTIONS.mode),
  )
  .addOption(
    new Option('--unfinished <choice>', 'leave unfinished items out, or list them without annotations')
      .choices(UNFINISHED_CHOICES)
      .default(DEFAULT_EXPORT_OPTIONS.unfinished),
  )
  .option('--include-gold', 'add the gold items with their reference answers', false)
  .action((project, opts) =>
    exportCommand(program.opts<GlobalFlags>(), Number(project), opts.out, {
      mode: opts.mode,
      unfinished: opts.unfinished,
      includeGold: opts.includeGold === true,
    }),
  );

program
  .command('orgs')
  .description('manage organisations')
  .command('add')
  .description('add a vendor (a tenancy of its own) or a client organisation of a vendor')
  .argument('<name>')
  .requiredOption('--kind <kind>', 'vendor or client')
  .option('--vendor <id>', 'the vendor a client organisation belongs to')
  .action((name, opts) => orgsAddCommand(program.opts<GlobalFlags>(), name, opts));

program
  .command('users')
  .description('manage users')
  .command('add')
  .argument('<username>')
  .requiredOption('--role <role>', 'admin, manager, reviewer, worker or client')
  .requiredOption('--org <id>', 'organisation id')
  .option('--password <password>', 'password (default: generated and printed)')
  .option('--name <display>', 'display name')
  .action((username, opts) => usersAddCommand(program.opts<GlobalFlags>(), username, opts));

program
  .command('report')
  .description('reports')
  .command('employment')
  .description('the employment report: workers by household status, area and month; hours, income, retention')
  .option('--month <YYYY-MM>', 'the month (default: the current one, UTC)')
  .option('--from <YYYY-MM>', 'first month of a range')
  .option('--to <YYYY-MM>', 'last month of a range')
  .option('--trend-months <n>', 'months of history in the trend (default 12)')
  .option('--org <id>', 'vendor organisation (default: the only one)')
  .option('-o, --out <file.xlsx>', 'write the .xlsx workbook to this file')
  .option('--json', 'print the report as JSON')
  .option('--lang <lang>', 'zh-CN (default) or en')
  .action((opts) => reportEmploymentCommand(program.opts<GlobalFlags>(), opts));

program.parseAsync().catch((err) => {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(2);
  }
  console.error(err?.message ?? err);
  process.exit(1);
});
