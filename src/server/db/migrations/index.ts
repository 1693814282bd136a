import * as init from './2026-11-28-0001-init.js';

/** Every migration in order; names sort by date. */
export const migrations = { '2026-11-28-0001-init': init } as const;
