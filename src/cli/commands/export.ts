import fs from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DEFAULT_EXPORT_OPTIONS, type ExportOptions } from '../../core/api/export-options.js';
import { createContext } from '../../server/context.js';
import { configFrom, type GlobalFlags } from '../main.js';

export async function exportCommand(
  flags: GlobalFlags,
  projectId: number,
  out?: string,
  options: ExportOptions = DEFAULT_EXPORT_OPTIONS,
) {
  const ctx = await createContext(configFrom(flags));
  try {
    const { chunks } = await ctx.services.exports.coco(null, projectId, options);
    await pipeline(Readable.from(chunks), out ? fs.createWriteStream(out) : process.stdout);
    if (out)
      console.error(
        `wrote ${out} (${options.mode}, unfinished ${options.unfinished}${options.includeGold ? ', with gold' : ''})`,
      );
  } finally {
    await ctx.close();
  }
}
