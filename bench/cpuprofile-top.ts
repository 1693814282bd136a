/**
 * Summarises a V8 .cpuprofile (from `node --cpu-prof`): the functions with the most
 * self time, and time per package / source file, both self and inclusive.
 *
 *     npx tsx bench/cpuprofile-top.ts <file.cpuprofile> [top=25]
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { mdTable, ROOT } from './lib.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

/** The main thread's profile in a --cpu-prof-dir (thread id 0; loader threads have their own files). */
export function mainThreadProfile(dir: string): string | undefined {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  const main = files.find((f) => f.split('.').at(-3) === '0') ?? files[0];
  return main && path.join(dir, main);
}

/**
 * Keeps only the samples taken inside [fromUs, toUs] of the monotonic clock (V8's
 * timestamps and process.hrtime share CLOCK_MONOTONIC on Linux), so a profile of a
 * whole server life can be cut down to the measured window.
 */
function restrictTo(prof: Profile, fromUs: number, toUs: number): number {
  if (!prof.samples || !prof.timeDeltas) return 0;
  const hits = new Map<number, number>();
  let t = prof.startTime;
  let kept = 0;
  for (let i = 0; i < prof.samples.length; i++) {
    t += prof.timeDeltas[i];
    if (t < fromUs || t > toUs) continue;
    hits.set(prof.samples[i], (hits.get(prof.samples[i]) ?? 0) + 1);
    kept++;
  }
  if (kept === 0) return 0;
  for (const n of prof.nodes) n.hitCount = hits.get(n.id) ?? 0;
  prof.startTime = Math.max(prof.startTime, fromUs);
  prof.endTime = Math.min(prof.endTime, toUs);
  return kept;
}

/** The package or source file a script URL belongs to. */
function areaOf(url: string, fn: string): string {
  if (!url) return fn.startsWith('(') ? fn : '(native)';
  if (url.startsWith('node:')) return 'node:' + url.slice(5).split('/')[0];
  let p = url;
  try {
    if (url.startsWith('file://')) p = fileURLToPath(url);
  } catch {
    /* keep the url */
  }
  const nm = p.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = p.slice(nm + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  return path.relative(ROOT, p);
}

export function summarizeProfile(file: string, top = 25, windowUs?: [number, number]): string {
  const prof = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
  let scope = 'whole process life (start-up included)';
  if (windowUs) {
    const kept = restrictTo(prof, windowUs[0], windowUs[1]);
    scope = kept
      ? `only the ${kept} samples inside the measured window`
      : 'whole process life (no sample fell in the window)';
  }
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const totalHits = prof.nodes.reduce((s, n) => s + (n.hitCount ?? 0), 0);
  const msPerHit = totalHits ? (prof.endTime - prof.startTime) / 1000 / totalHits : 0;
  const idleHits = prof.nodes
    .filter((n) => n.callFrame.functionName === '(idle)')
    .reduce((s, n) => s + (n.hitCount ?? 0), 0);
  const busyHits = totalHits - idleHits;

  const selfFn = new Map<string, number>();
  const selfArea = new Map<string, number>();
  const inclArea = new Map<string, number>();
  const inclOwn = new Map<string, number>();
  const add = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);

  const root = prof.nodes[0];
  const walk = (node: ProfileNode, areas: Set<string>, own: Set<string>) => {
    const { functionName, url, lineNumber } = node.callFrame;
    const area = areaOf(url, functionName);
    const hits = node.hitCount ?? 0;
    const key = `${functionName || '(anonymous)'}  ${area}${url ? ':' + (lineNumber + 1) : ''}`;
    const here = areas.has(area) ? areas : new Set(areas).add(area);
    const ownHere = area.startsWith('src/') && !own.has(key) ? new Set(own).add(key) : own;
    if (hits && functionName !== '(idle)') {
      add(selfFn, key, hits);
      add(selfArea, area, hits);
      for (const a of here) add(inclArea, a, hits);
      for (const k of ownHere) add(inclOwn, k, hits);
    }
    for (const c of node.children ?? []) walk(byId.get(c)!, here, ownHere);
  };
  walk(root, new Set(), new Set());

  const pct = (h: number) => ((h / busyHits) * 100).toFixed(1) + '%';
  const ms = (h: number) => Math.round(h * msPerHit).toLocaleString('en-US');
  const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]);
  const out: string[] = [];
  out.push(
    `profile ${path.basename(file)}, ${scope}: ${ms(totalHits)} ms sampled, busy ${ms(busyHits)} ms (${((busyHits / totalHits) * 100).toFixed(0)}%), idle ${ms(idleHits)} ms`,
    '',
    `Top ${top} functions by self time (share of busy time):`,
    '',
    mdTable(
      ['self ms', 'share', 'function  file:line'],
      sorted(selfFn)
        .slice(0, top)
        .map(([k, h]) => [ms(h), pct(h), k]),
    ),
    '',
    'Time by package / source file (self, and inclusive of what it calls):',
    '',
    mdTable(
      ['area', 'self', 'inclusive'],
      sorted(inclArea)
        .slice(0, top)
        .map(([k, h]) => [k, pct(selfArea.get(k) ?? 0), pct(h)]),
    ),
    '',
    "The project's own functions (src/) by inclusive time:",
    '',
    mdTable(
      ['inclusive ms', 'share', 'function  file:line'],
      sorted(inclOwn)
        .slice(0, top)
        .map(([k, h]) => [ms(h), pct(h), k]),
    ),
  );
  return out.join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const file = process.argv[2];
  if (!file) throw new Error('usage: npx tsx bench/cpuprofile-top.ts <file.cpuprofile> [top]');
  console.log(summarizeProfile(file, Number(process.argv[3] ?? 25)));
}
