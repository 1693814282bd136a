/**
 * Walks every route of the OpenAPI document (so routes added later are covered
 * without a change here) as an admin, a manager, a worker and nobody, with malformed
 * input: ids past 2^31 and past 2^53, negative and huge numbers, NUL bytes and broken
 * Unicode in every string, null elements, wrong types, deep nesting, empty objects.
 * Not one answer may be a 5xx, on SQLite or on PostgreSQL. A failure names the
 * route, the caller and the input.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../helpers/databases.js';
import { face5Answer, multipart, startTestApp, type TestApp } from '../helpers/harness.js';

type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema | Schema[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  nullable?: boolean;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  pattern?: string;
  format?: string;
};
type Operation = {
  parameters?: { in: string; name: string; schema?: Schema }[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
};

const NUL = 'nul\u0000byte';
/** Values that replace one field of a body at a time. */
const BAD_VALUES: unknown[] = [null, 1e308, 2 ** 53 + 1, -1, 2 ** 31, NUL, '\uD800', [null], {}];
/** Values for one path or query parameter at a time (URL-encoded as sent). */
const BAD_PARAMS = ['2147483648', '9007199254740993', '1e308', '-1', '0', '1.5', 'abc', '%00', 'a%00b', '%ED%A0%80'];
/** Routes that would end the caller's own session, which the rest of the walk needs. */
const SKIP = new Set(['POST /api/auth/logout']);

/** A string for `s` that is likely to pass its own checks, so the next field's fault is reached. */
function sampleString(s: Schema): string {
  if (s.format === 'date' || s.format === 'date-time') return '2026-11-28';
  const candidates = ['Faces', 'abc12345', '2026-11-28', '2026-11', 'zh-CN', 'none', 'f'.repeat(64), 'face-5', 'ab'];
  if (s.pattern) {
    const re = new RegExp(s.pattern);
    const hit = candidates.find((c) => re.test(c));
    if (hit) return hit;
  }
  const min = Math.max(s.minLength ?? 1, 1);
  return 'abcdefgh'.repeat(Math.ceil(min / 8)).slice(0, Math.max(min, Math.min(8, s.maxLength ?? 8)));
}

/** A value that fits `s` as far as cheaply possible. */
function sample(s: Schema | undefined, depth = 0): unknown {
  if (!s || depth > 8) return null;
  if (s.const !== undefined) return s.const;
  if (s.default !== undefined) return s.default;
  if (s.enum) return s.enum[0];
  const union = s.anyOf ?? s.oneOf;
  if (union) return sample(union.find((u) => u.type !== 'null') ?? union[0], depth + 1);
  if (s.allOf) return Object.assign({}, ...s.allOf.map((a) => sample(a, depth + 1)));
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
  switch (type) {
    case 'string':
      return sampleString(s);
    case 'integer':
    case 'number':
      return Math.min(Math.max(s.minimum ?? 1, 1), s.maximum ?? 1);
    case 'boolean':
      return true;
    case 'array': {
      if (Array.isArray(s.items)) return s.items.map((i) => sample(i, depth + 1));
      return Array.from({ length: s.minItems ?? 1 }, () => sample(s.items as Schema, depth + 1));
    }
    case 'object':
    default: {
      if (!s.properties) return type === 'object' ? {} : null;
      return Object.fromEntries(Object.entries(s.properties).map(([k, v]) => [k, sample(v, depth + 1)]));
    }
  }
}

/** Paths into `value` worth mutating: every property, and the properties of its objects one level down. */
function fieldPaths(value: unknown, prefix: (string | number)[] = [], depth = 0): (string | number)[][] {
  if (depth > 1 || value === null || typeof value !== 'object') return [];
  const entries: [string | number, unknown][] = Array.isArray(value)
    ? value.length > 0
      ? [[0, value[0]]]
      : []
    : Object.entries(value);
  return entries.flatMap(([k, v]) => [[...prefix, k], ...fieldPaths(v, [...prefix, k], depth + 1)]);
}

function withValue(base: unknown, at: (string | number)[], v: unknown): unknown {
  const copy = structuredClone(base) as Record<string | number, unknown>;
  let node = copy;
  for (const k of at.slice(0, -1)) node = node[k] as Record<string | number, unknown>;
  node[at[at.length - 1]] = v;
  return copy;
}

/** Every string in `value` with a NUL in it and every number pushed past 2^31. */
function poisoned(value: unknown): unknown {
  if (typeof value === 'string') return `${value}\u0000`;
  if (typeof value === 'number') return 2 ** 31;
  if (Array.isArray(value)) return value.map(poisoned);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, poisoned(v)]));
  return value;
}

function deep(depth: number): unknown {
  let v: unknown = { a: NUL };
  for (let i = 0; i < depth; i++) v = { a: v, b: [v === null ? null : 1] };
  return v;
}

describe.each(dialects)('fuzzing every route on %s', (dialect) => {
  let t: TestApp;
  const callers: Record<string, Record<string, string>> = {};
  const valid: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp(dialect);
    // A bystander first, so that id 1 of users is nobody the walk depends on.
    await t.newUser('bystander', 'worker');
    const admin = await t.newUser('admin', 'admin');
    const manager = await t.newUser('manager', 'manager');
    const worker = await t.newUser('worker', 'worker');
    callers.admin = admin.headers;
    callers.manager = manager.headers;
    callers.worker = worker.headers;
    callers.nobody = {};
    const project = await t.newProject(manager.headers);
    const items = await t.addImages(manager.headers, project.id, 4);
    valid.id = String(project.id);
    valid.workerId = String(worker.id);
    valid.userId = String(worker.id);
    valid.itemId = String(items[0].id);
    valid.code = 'none';
    valid.period = '2026-11';
    valid.sha = 'f'.repeat(64);
    // A lease and an answer, where this build lets the worker have them, so that ids lead somewhere.
    const lease = await t.app.inject({
      method: 'POST',
      url: `/api/projects/${project.id}/lease`,
      headers: worker.headers,
    });
    const l = lease.statusCode === 200 ? lease.json().lease : null;
    if (l) {
      await t.app.inject({
        method: 'POST',
        url: `/api/assignments/${l.assignmentId}/submit`,
        headers: worker.headers,
        payload: { clientSubmissionId: randomUUID(), data: face5Answer() },
      });
    }
  });
  afterAll(async () => t?.close());

  it('answers no malformed request with a 5xx', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/docs/json' })).json() as {
      paths: Record<string, Record<string, Operation>>;
    };
    const failures: string[] = [];
    let sent = 0;
    const send = async (
      who: string,
      method: string,
      url: string,
      what: string,
      payload?: unknown,
      extra: Record<string, string> = {},
    ) => {
      sent++;
      const raw = payload !== undefined && (typeof payload !== 'object' || payload === null);
      const res = await t.app.inject({
        method: method as 'GET',
        url,
        headers: {
          ...callers[who],
          ...(raw ? { 'content-type': 'application/json' } : {}),
          ...extra,
        },
        ...(payload === undefined ? {} : { payload: raw ? JSON.stringify(payload) : (payload as object) }),
      });
      if (res.statusCode >= 500) {
        failures.push(`${res.statusCode} ${method} ${url} as ${who} with ${what}: ${res.body.slice(0, 300)}`);
      }
      return res.statusCode;
    };

    const ops: [string, string, Operation][] = [];
    for (const [route, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        if (!SKIP.has(`${method.toUpperCase()} ${route}`)) ops.push([method.toUpperCase(), route, op]);
      }
    }
    expect(ops.length).toBeGreaterThan(40);

    for (const [method, route, op] of ops) {
      const pathParams = [...route.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      const fill = (over: Record<string, string> = {}) =>
        route.replace(/\{(\w+)\}/g, (_, name: string) => over[name] ?? valid[name] ?? '1');
      const query = (op.parameters ?? []).filter((p) => p.in === 'query');
      const bodySchema = op.requestBody?.content?.['application/json']?.schema;
      const takesBody = method !== 'GET' && method !== 'DELETE';
      const base = bodySchema ? sample(bodySchema) : takesBody ? {} : undefined;

      for (const who of Object.keys(callers)) {
        // Every path parameter out of range or malformed, one at a time.
        for (const name of pathParams) {
          for (const bad of BAD_PARAMS) await send(who, method, fill({ [name]: bad }), `${name}=${bad}`, base);
        }
        // Every query parameter likewise, and repeated.
        for (const q of query) {
          for (const bad of [...BAD_PARAMS, `1&${q.name}=2`]) {
            await send(who, method, `${fill()}?${q.name}=${bad}`, `?${q.name}=${bad}`, base);
          }
        }
        if (!takesBody) continue;
        // Whole bodies of the wrong shape.
        const shapes: [string, unknown][] = [
          ['{}', {}],
          ['null', null],
          ['[]', []],
          ['a string', NUL],
          ['1e308', 1e308],
          ['[null]', [null]],
          ['{"images":[null]}', { images: [null], annotations: [null] }],
          ['deep nesting', deep(300)],
          ['every string NUL, every number 2^31', poisoned(base)],
        ];
        for (const [what, body] of shapes) await send(who, method, fill(), what, body);
        // Multipart where a route may take files: a NUL in the file name, a field, garbage bytes.
        if (method === 'POST' && !bodySchema) {
          const mp = multipart([{ filename: 'a\u0000b.png', content: Buffer.from('not an image\u0000') }]);
          await send(who, method, fill(), 'multipart with NUL file name', mp.payload, mp.headers);
        }
      }

      // One field at a time, by the callers that get past the access checks (else by the manager).
      if (!takesBody || base === null || typeof base !== 'object') continue;
      const reach: string[] = [];
      for (const who of ['admin', 'manager', 'worker']) {
        const status = await send(who, method, fill(), 'a sample body', base);
        if (status !== 401 && status !== 403) reach.push(who);
      }
      for (const who of reach.length > 0 ? reach : ['manager']) {
        for (const at of fieldPaths(base)) {
          for (const v of BAD_VALUES) {
            await send(who, method, fill(), `${at.join('.')}=${JSON.stringify(v)}`, withValue(base, at, v));
          }
        }
      }
    }

    // Credentials that reach the database as text.
    const credentials: Record<string, string>[] = [
      { authorization: 'Bearer shg_\u0000' },
      { authorization: 'Bearer \uD800\uD800' },
      { cookie: 'shugu_session=%00' },
      { cookie: `shugu_session=${'a'.repeat(5000)}` },
    ];
    for (const extra of credentials) {
      await send('nobody', 'GET', '/api/me', JSON.stringify(extra), undefined, extra);
      await send('nobody', 'GET', '/api/projects', JSON.stringify(extra), undefined, extra);
    }

    console.log(`fuzz on ${dialect}: ${ops.length} operations, ${sent} requests, ${failures.length} answered 5xx`);
    expect(failures, failures.slice(0, 40).join('\n')).toEqual([]);
  }, 180_000);
});
