import { buildApp } from '../../server/app.js';
import { createContext } from '../../server/context.js';
import { seedDemoIfEmpty } from '../../server/services/seed.service.js';
import { configFrom, type GlobalFlags } from '../main.js';

/** Expired leases are also swept on a timer, so idle projects free their slots too. */
const SWEEP_EVERY_MS = 5000;

export async function serveCommand(flags: GlobalFlags, opts: { seed: boolean }) {
  const config = configFrom(flags);
  const ctx = await createContext(config);
  const logins = config.seedDemo && opts.seed ? await seedDemoIfEmpty(ctx) : null;
  const app = await buildApp(ctx, { logger: true });
  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://localhost:${port}/`;
  const db = config.databaseUrl.startsWith('sqlite:') ? config.databaseUrl : 'PostgreSQL';
  const lines = ['', `  数谷 Shugu is running at ${url}`, `  API docs: ${url}docs`, `  Database: ${db}`];
  if (logins) {
    lines.push('', '  Demo accounts (shown once; write them down):');
    for (const l of logins) lines.push(`    ${l.role.padEnd(9)} ${l.username.padEnd(10)} ${l.password}`);
  }
  console.log(lines.join('\n') + '\n');
  const timer = setInterval(() => {
    ctx.services.work.sweep().catch((err) => app.log.error(err));
  }, SWEEP_EVERY_MS);
  timer.unref();
  const stop = async () => {
    clearInterval(timer);
    await app.close();
    await ctx.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
