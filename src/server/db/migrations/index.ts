import * as init from './2026-11-28-0001-init.js';
import * as quality from './2026-11-28-0002-quality.js';
import * as leaseIndex from './2026-11-28-0003-lease-index.js';

/** Every migration in order; names sort by date. */
export const migrations = {
  '2026-11-28-0001-init': init,
  '2026-11-28-0002-quality': quality,
  '2026-11-28-0003-lease-index': leaseIndex,
} as const;
