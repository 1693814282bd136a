import type { qualityRulesZhCN } from './quality-rules.zh-CN';

/** English for the quality rules and their log; the type keeps every Chinese key covered. */
export const qualityRulesEn: Record<keyof typeof qualityRulesZhCN, string> = {
  'rules.title': 'Quality rules',
  'rules.off': '(off)',
  'rules.gold':
    'Control (gold) tasks: {rate} % of items; warn below {warn} % accuracy, suspend below {suspend} % (after {min} checks).',
  'rules.peer':
    'Agreement with peers: on every finished item each answer is compared with the consensus of the others; warn below a rolling {warn} %, suspend below {suspend} % (after {min} comparisons).',
  'rules.swap': 'Left/right swaps: suspend at {share} % of the last 20 checks swapped (at least 3); warn at 2.',
  'rules.fast':
    'Answers too fast to be real: an answer with less than {ms} ms per placed point is discarded; the first warns, {after} suspend.',
  'rules.skip':
    'Skipped items: {action} when her skip rate on control tasks exceeds her other skip rate by {margin} %.',
  'rules.skip.none': 'record only',
  'rules.skip.warn': 'warn',
  'rules.skip.suspend': 'suspend',
  'rules.review':
    'Post-acceptance review: {rate} % of finished items sampled; items agreeing below {threshold} % {low}.',
  'rules.review.low.review': 'go to review',
  'rules.review.low.more_overlap': 'get one more answer (capped), then review',
  'rules.review.low.none': 'are left as they are',
  'rules.did': 'Warned {warned} times, suspended {suspended}, discarded {discarded} answers.',
  'rules.didReview': '{waiting} items waiting for review, {reviewed} reviewed, {rejected} answers rejected.',
  'rules.events': 'What the rules did',
  'rules.noEvents': 'The rules have not acted yet.',
  'rules.more': 'Older entries',
  'rules.count': 'discarded {n} answers',
  'rules.rule.gold': 'control tasks',
  'rules.rule.peer': 'agreement with peers',
  'rules.rule.swap': 'left/right swaps',
  'rules.rule.fast': 'too fast',
  'rules.rule.skip': 'skipping',
  'rules.rule.review': 'review',
  'rules.rule.agreement': 'agreement',
  'rules.action.warned': 'warned',
  'rules.action.suspended': 'suspended',
  'rules.action.discarded': 'discarded',
  'rules.action.flagged': 'sent to review',
  'rules.action.reinstated': 'reinstated',
  'rules.action.cleared': 'warning cleared',
  'myq.swapNamed': 'This time: {label}.',
};
