import path from 'node:path';
import cliProgress from 'cli-progress';
import { createContext } from '../../server/context.js';
import { manifestFormatOf } from '../../server/services/manifest.service.js';
import { configFrom, type GlobalFlags } from '../main.js';

const newBar = (label: string) =>
  new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {percentage}% | {value}/{total}`,
      hideCursor: true,
      noTTYOutput: true,
      notTTYSchedule: 2000,
    },
    cliProgress.Presets.shades_classic,
  );

export async function importCommand(flags: GlobalFlags, projectId: number, folder: string) {
  const ctx = await createContext(configFrom(flags));
  const bar = newBar('images');
  try {
    let started = false;
    const result = await ctx.services.images.importFolder(projectId, path.resolve(folder), (done, total) => {
      if (!started) bar.start(total, 0);
      started = true;
      bar.update(done);
    });
    bar.stop();
    console.log(`added ${result.added}, already in the project ${result.duplicates}, skipped ${result.skipped.length}`);
    for (const s of result.skipped) console.log(`  skipped ${s.name}: ${s.reason}`);
  } finally {
    bar.stop();
    await ctx.close();
  }
}

export async function importManifestCommand(flags: GlobalFlags, projectId: number, file: string) {
  const ctx = await createContext(configFrom(flags));
  const bar = newBar('rows  ');
  try {
    const t0 = performance.now();
    let writing = false;
    const result = await ctx.services.manifests.importFile(
      null,
      projectId,
      path.resolve(file),
      manifestFormatOf(file),
      (phase, rows, total) => {
        if (phase === 'check') {
          if (total) console.log(`checked ${total} rows`);
          return;
        }
        if (!writing) bar.start(total, 0);
        writing = true;
        bar.update(rows);
      },
    );
    bar.stop();
    const s = (performance.now() - t0) / 1000;
    console.log(`added ${result.added} items in ${s.toFixed(1)} s (${Math.round(result.added / s)} items/s)`);
  } finally {
    bar.stop();
    await ctx.close();
  }
}
