import * as init from './2026-11-28-0001-init.js';
import * as quality from './2026-11-28-0002-quality.js';
import * as leaseIndex from './2026-11-28-0003-lease-index.js';
import * as tenancy from './2026-12-02-0004-tenancy.js';
import * as tokens from './2026-12-02-0005-tokens.js';
import * as people from './2026-12-02-0006-people.js';
import * as training from './2026-12-02-0007-training.js';
import * as pay from './2026-12-02-0008-pay.js';
import * as goldOrder from './2026-12-02-0010-gold-order.js';
import * as qualityRules from './2026-12-02-0011-quality-rules.js';

/** Every migration in order; names sort by date. */
export const migrations = {
  '2026-11-28-0001-init': init,
  '2026-11-28-0002-quality': quality,
  '2026-11-28-0003-lease-index': leaseIndex,
  '2026-12-02-0004-tenancy': tenancy,
  '2026-12-02-0005-tokens': tokens,
  '2026-12-02-0006-people': people,
  '2026-12-02-0007-training': training,
  '2026-12-02-0008-pay': pay,
  '2026-12-02-0010-gold-order': goldOrder,
  '2026-12-02-0011-quality-rules': qualityRules,
} as const;
