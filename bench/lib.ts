/**
 * Shared pieces of the benchmarks: flags, temp folders, latency summaries, a small
 * keep-alive HTTP client, child-process helpers and a markdown table printer.
 * Nothing here is timed itself.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// ---------------------------------------------------------------------------------
// Flags: `--name value`, `--name=value`, bare `--flag` is true.

export function parseArgs<T extends Record<string, string | number | boolean>>(
  defaults: T,
  argv = process.argv.slice(2),
): T {
  const out: Record<string, string | number | boolean> = { ...defaults };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) throw new Error(`unexpected argument ${a}`);
    const [key, inline] = a.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    let value = inline;
    const camel = key.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    if (!(camel in defaults)) throw new Error(`unknown flag --${key}; known: ${Object.keys(defaults).join(', ')}`);
    const def = defaults[camel];
    if (value === undefined) {
      if (typeof def === 'boolean' && (argv[i + 1] === undefined || argv[i + 1].startsWith('--'))) value = 'true';
      else value = argv[++i];
    }
    if (value === undefined) throw new Error(`--${key} needs a value`);
    if (typeof def === 'number') {
      const n = Number(value.replace(/_/g, ''));
      if (!Number.isFinite(n)) throw new Error(`--${key} must be a number, got ${value}`);
      out[camel] = n;
    } else if (typeof def === 'boolean') out[camel] = /^(1|true|yes|on)$/i.test(value);
    else out[camel] = value;
  }
  return out as T;
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

// ---------------------------------------------------------------------------------
// Numbers.

export interface Summary {
  n: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function summarize(values: ArrayLike<number>): Summary {
  const n = values.length;
  if (n === 0) return { n: 0, mean: NaN, p50: NaN, p95: NaN, p99: NaN, max: NaN };
  const s = Float64Array.from(values).sort();
  let sum = 0;
  for (let i = 0; i < n; i++) sum += s[i];
  const at = (p: number) => s[Math.min(n - 1, Math.max(0, Math.ceil(p * n) - 1))];
  return {
    n,
    mean: sum / n,
    p50: at(0.5),
    p95: at(0.95),
    p99: at(0.99),
    max: s[n - 1],
  };
}

/** A growable list of doubles that does not box each number. */
export class Samples {
  private buf = new Float64Array(1024);
  length = 0;
  push(v: number) {
    if (this.length === this.buf.length) {
      const next = new Float64Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.length++] = v;
  }
  view(): Float64Array {
    return this.buf.subarray(0, this.length);
  }
}

export const fmt = {
  int: (v: number) => (Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : '–'),
  ms: (v: number) => (Number.isFinite(v) ? (v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : v.toFixed(0)) : '–'),
  mb: (bytes: number) => (bytes / 1024 / 1024).toFixed(1),
  s: (ms: number) => (ms / 1000).toFixed(2),
};

export function mdTable(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(3, ...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => `| ${r.map((c, i) => (c ?? '').padEnd(widths[i])).join(' | ')} |`;
  return [line(cells[0]), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...cells.slice(1).map(line)].join(
    '\n',
  );
}

export const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

/** A small seeded PRNG (mulberry32), so generated data is the same on every run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A plausible one-face 68-point answer inside a w×h image (coordinates with one decimal). */
export function face68Answer(w: number, h: number, rand: () => number) {
  const cx = w * (0.4 + rand() * 0.2);
  const cy = h * (0.4 + rand() * 0.2);
  const r = Math.min(w, h) * 0.25;
  const points: [number, number, 0 | 1 | 2][] = [];
  for (let i = 0; i < 68; i++) {
    const a = (i / 68) * Math.PI * 2;
    const x = Math.round((cx + Math.cos(a) * r * (0.5 + rand() * 0.5)) * 10) / 10;
    const y = Math.round((cy + Math.sin(a) * r * (0.5 + rand() * 0.5)) * 10) / 10;
    points.push([x, y, rand() < 0.1 ? 1 : 2]);
  }
  const bbox = [Math.round(cx - r), Math.round(cy - r), Math.round(2 * r), Math.round(2 * r)];
  return { instances: [{ bbox, points }] };
}

// ---------------------------------------------------------------------------------
// Processes.

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else if (e.name.endsWith('.ts')) newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

/**
 * How to start the `shugu` CLI: the build when it is newer than every source file, else
 * tsx. `preloads` are TypeScript modules to `--import` first (tsx is then loaded too).
 */
export function shuguCli(preloads: string[] = []): {
  args: string[];
  via: string;
} {
  const built = path.join(ROOT, 'dist', 'cli', 'main.js');
  const builtAt = fs.statSync(built, { throwIfNoEntry: false })?.mtimeMs ?? 0;
  const useBuilt = builtAt > newestMtime(path.join(ROOT, 'src'));
  const entry = useBuilt ? built : path.join(ROOT, 'src', 'cli', 'main.ts');
  const tsx = !useBuilt || preloads.length > 0 ? ['--import', 'tsx'] : [];
  return {
    args: [...tsx, ...preloads.flatMap((p) => ['--import', p]), entry],
    via: useBuilt ? 'dist (built)' : 'tsx (dist missing or older than src)',
  };
}

export interface Child {
  proc: ChildProcess;
  log: string;
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<number | null>;
}

/** Starts `node <args>` with its output in a log file. */
export function startNode(args: string[], env: Record<string, string>, logFile: string): Child {
  const out = fs.openSync(logFile, 'a');
  const proc = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', out, out],
  });
  fs.closeSync(out);
  let exited: Promise<number | null> = new Promise((resolve) => proc.once('exit', (code) => resolve(code)));
  return {
    proc,
    log: logFile,
    async stop(signal = 'SIGINT', timeoutMs = 15_000) {
      if (proc.exitCode !== null || proc.signalCode !== null) return exited;
      proc.kill(signal);
      const timer = setTimeout(() => proc.kill('SIGKILL'), timeoutMs);
      const code = await exited;
      clearTimeout(timer);
      exited = Promise.resolve(code);
      return code;
    },
  };
}

export function tail(file: string, lines = 30): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

export async function waitForHttp(port: number, urlPath: string, child: Child, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.proc.exitCode !== null) throw new Error(`child exited with ${child.proc.exitCode}:\n${tail(child.log)}`);
    const ok = await new Promise<boolean>((resolve) => {
      const req = http.get({ host: '127.0.0.1', port, path: urlPath, agent: false }, (res) => {
        res.resume();
        resolve(res.statusCode !== undefined && res.statusCode < 500);
      });
      req.on('error', () => resolve(false));
      req.setTimeout(1000, () => req.destroy());
    });
    if (ok) return;
    await sleep(100);
  }
  throw new Error(`nothing answered on port ${port} within ${timeoutMs} ms:\n${tail(child.log)}`);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const CLK_TCK = 100;
/** CPU seconds (user + system) a process has used so far, from /proc; NaN where unavailable. */
export function cpuSecondsOf(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  } catch {
    return NaN;
  }
}

/** Whole-box CPU time so far (all cores), busy and total, in seconds, from /proc/stat. */
export function boxCpuSeconds(): { busy: number; total: number } {
  try {
    const f = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const total = f.reduce((a, b) => a + b, 0);
    const idle = f[3] + (f[4] ?? 0);
    return { busy: (total - idle) / CLK_TCK, total: total / CLK_TCK };
  } catch {
    return { busy: NaN, total: NaN };
  }
}

/** The 1-minute load average and the core count, to note how busy the box was. */
export function boxLoad(): string {
  return `load ${os.loadavg()[0].toFixed(2)} on ${os.cpus().length} cores`;
}

// ---------------------------------------------------------------------------------
// A minimal HTTP/1.1 keep-alive client (node:http; undici is not installed here).

export interface HttpResult {
  status: number;
  body: string;
  setCookie?: string[];
}

export class HttpClient {
  readonly agent: http.Agent;
  constructor(
    readonly port: number,
    sockets: number,
  ) {
    this.agent = new http.Agent({
      keepAlive: true,
      maxSockets: sockets,
      maxFreeSockets: sockets,
      scheduling: 'lifo',
    });
  }

  post(urlPath: string, body: string, cookie?: string): Promise<HttpResult> {
    return this.request('POST', urlPath, body, cookie);
  }

  request(method: 'GET' | 'POST', urlPath: string, body?: string, cookie?: string): Promise<HttpResult> {
    return new Promise((resolve, reject) => {
      const headers: http.OutgoingHttpHeaders = {};
      if (body !== undefined) {
        headers['content-type'] = 'application/json';
        headers['content-length'] = Buffer.byteLength(body);
      }
      if (cookie) headers.cookie = cookie;
      const req = http.request(
        {
          host: '127.0.0.1',
          port: this.port,
          method,
          path: urlPath,
          agent: this.agent,
          headers,
        },
        (res) => {
          let data = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (data += c));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              body: data,
              setCookie: res.headers['set-cookie'],
            }),
          );
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  /**
   * Opens `n` keep-alive connections before a run, `step` more per round (each round
   * sends as many concurrent GETs as connections wanted so far), so that a run does not
   * start with n simultaneous connects overflowing the server's listen backlog.
   */
  async preconnect(n: number, urlPath: string, step = 50): Promise<number> {
    for (let k = step; ; k += step) {
      const want = Math.min(n, k);
      await Promise.all(Array.from({ length: want }, () => this.request('GET', urlPath)));
      if (want === n) break;
    }
    return Object.values(this.agent.freeSockets).reduce((s, list) => s + (list?.length ?? 0), 0);
  }

  close() {
    this.agent.destroy();
  }
}

/** Child-process result lines: a child prints `@@RESULT <json>` and the parent picks it up. */
export const RESULT_TAG = '@@RESULT ';

export function runNodeForResult<T>(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ result: T; wallMs: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const proc = spawn(process.execPath, args, {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    proc.stdout.setEncoding('utf8');
    proc.stdout.on('data', (c: string) => {
      out += c;
      for (const line of c.split('\n'))
        if (line && !line.startsWith(RESULT_TAG)) process.stdout.write(`    │ ${line}\n`);
    });
    proc.on('error', reject);
    proc.on('exit', (code) => {
      const wallMs = performance.now() - t0;
      const line = out.split('\n').find((l) => l.startsWith(RESULT_TAG));
      if (code !== 0 || !line) return reject(new Error(`child ${args.join(' ')} exited with ${code}`));
      resolve({
        result: JSON.parse(line.slice(RESULT_TAG.length)) as T,
        wallMs,
      });
    });
  });
}

/** Samples the RSS (and heap) of this process every `everyMs`, and on demand. */
export class MemorySampler {
  peakRss = 0;
  peakHeap = 0;
  samples = 0;
  private timer: NodeJS.Timeout;
  constructor(everyMs = 50) {
    this.sample();
    this.timer = setInterval(() => this.sample(), everyMs);
  }
  sample() {
    const m = process.memoryUsage();
    this.samples++;
    if (m.rss > this.peakRss) this.peakRss = m.rss;
    if (m.heapUsed > this.peakHeap) this.peakHeap = m.heapUsed;
  }
  stop() {
    clearInterval(this.timer);
    this.sample();
  }
}

/** Peak RSS the kernel recorded for this process (VmHWM), in bytes; NaN where unavailable. */
export function kernelPeakRss(): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    return m ? Number(m[1]) * 1024 : NaN;
  } catch {
    return NaN;
  }
}
