import fs from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createContext } from '../../server/context.js';
import { configFrom, type GlobalFlags } from '../main.js';

export async function exportCommand(flags: GlobalFlags, projectId: number, out?: string) {
  const ctx = await createContext(configFrom(flags));
  try {
    const { chunks } = await ctx.services.exports.coco(null, projectId);
    await pipeline(Readable.from(chunks), out ? fs.createWriteStream(out) : process.stdout);
    if (out) console.error(`wrote ${out}`);
  } finally {
    await ctx.close();
  }
}
