/**
 * The ids a worker sees. Row ids are global sequences: a worker who saw her lease ids
 * jump would learn how busy the others are, and item ids cluster by upload, so a gold
 * batch would stand out by its ids. So every id a worker reads or sends is a keyed
 * permutation of the row id, a bijection of [1, 2^31 − 1] (the range of a path id):
 *
 * - a lease (`assignmentId`, also in its image URLs) and an answer (`annotationId`)
 *   map one to one and back, with their own tweak each;
 * - an item maps per worker (the worker's id is part of the tweak): the same item has
 *   another id for every worker, so ids compared between workers say nothing either.
 *
 * The permutation is a six-step unbalanced Feistel network (15 and 16 bits) whose round
 * function is AES-128 under a key kept in the database (`server_keys.worker_ids`,
 * made by migration 0010), so every server process maps alike.
 */
import { createCipheriv, type Cipher } from 'node:crypto';
import type { Db } from '../db/database.js';

const DOMAIN = 2 ** 31; // x = id − 1 lives in [0, 2^31 − 1); the step below keeps it there
const HI_BITS = 15;
const LO_BITS = 16;
const STEPS = 6;

type Kind = 1 | 2 | 3;
const ASSIGNMENT: Kind = 1;
const ANNOTATION: Kind = 2;
const ITEM: Kind = 3;

export class WorkerIds {
  private readonly aes: Cipher;
  private readonly block = Buffer.alloc(16);

  constructor(key: Buffer) {
    this.aes = createCipheriv('aes-128-ecb', key.subarray(0, 16), null);
    this.aes.setAutoPadding(false);
  }

  assignment(id: number): number {
    return this.encode(ASSIGNMENT, 0, id);
  }
  assignmentOf(handle: number): number {
    return this.decode(ASSIGNMENT, 0, handle);
  }
  annotation(id: number): number {
    return this.encode(ANNOTATION, 0, id);
  }
  annotationOf(handle: number): number {
    return this.decode(ANNOTATION, 0, handle);
  }
  /** An item as one worker sees it. */
  item(workerId: number, itemId: number): number {
    return this.encode(ITEM, workerId, itemId);
  }
  /** The item behind the id a worker saw (for checks from outside, such as the work-loop benchmark). */
  itemOf(workerId: number, handle: number): number {
    return this.decode(ITEM, workerId, handle);
  }

  private encode(kind: Kind, tweak: number, id: number): number {
    let x = id - 1;
    // Cycle-walk: 2^31 − 1 is no id's image in range; step again (once in 2^31 cases).
    do x = this.permute(kind, tweak, x, true);
    while (x === DOMAIN - 1);
    return x + 1;
  }

  private decode(kind: Kind, tweak: number, handle: number): number {
    let x = handle - 1;
    do x = this.permute(kind, tweak, x, false);
    while (x === DOMAIN - 1);
    return x + 1;
  }

  private permute(kind: Kind, tweak: number, x: number, forward: boolean): number {
    let hi = Math.floor(x / 2 ** LO_BITS);
    let lo = x % 2 ** LO_BITS;
    for (let k = 0; k < STEPS; k++) {
      const step = forward ? k : STEPS - 1 - k;
      // Even steps change the high part from the low one, odd steps the low part from the high one.
      if (step % 2 === 0) hi ^= this.round(kind, tweak, step, lo) & (2 ** HI_BITS - 1);
      else lo ^= this.round(kind, tweak, step, hi) & (2 ** LO_BITS - 1);
    }
    return hi * 2 ** LO_BITS + lo;
  }

  private round(kind: Kind, tweak: number, step: number, half: number): number {
    const b = this.block;
    b.fill(0);
    b[0] = kind;
    b[1] = step;
    b.writeUIntBE(tweak, 2, 6);
    b.writeUInt32BE(half, 8);
    return this.aes.update(b).readUInt32BE(0);
  }
}

const cache = new WeakMap<Db, Promise<WorkerIds>>();

/** The id mapping of a database, its key read once per process. */
export function workerIdsFor(db: Db): Promise<WorkerIds> {
  let ids = cache.get(db);
  if (!ids) {
    ids = db
      .selectFrom('server_keys')
      .select('value')
      .where('name', '=', 'worker_ids')
      .executeTakeFirstOrThrow()
      .then((r) => new WorkerIds(Buffer.from(r.value, 'hex')));
    ids.catch(() => cache.delete(db));
    cache.set(db, ids);
  }
  return ids;
}
