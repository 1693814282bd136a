/**
 * Categorical answers per instance (glasses, mask, …): merged by weighted majority
 * within one item, and across a whole project by Dawid–Skene, which learns how far
 * each worker can be trusted on each attribute.
 */
import { dawidSkene, majorityVote, type LabelTriple } from './dawid-skene.js';

/**
 * Weighted majority per attribute key over the workers who gave one; ties go to the
 * value that sorts first, so the result does not depend on answer order.
 *
 * @example mergeAttributes([{ glasses: 'yes' }, { glasses: 'no' }, { glasses: 'yes' }]) // → { glasses: 'yes' }
 */
export function mergeAttributes(values: readonly (Record<string, string> | undefined)[], weights?: readonly number[]) {
  const tally = new Map<string, Map<string, number>>();
  values.forEach((attrs, w) => {
    if (!attrs) return;
    for (const [k, v] of Object.entries(attrs)) {
      const byValue = tally.get(k) ?? new Map<string, number>();
      byValue.set(v, (byValue.get(v) ?? 0) + (weights ? weights[w] : 1));
      tally.set(k, byValue);
    }
  });
  const out: Record<string, string> = {};
  for (const [k, byValue] of [...tally].sort(([a], [b]) => (a < b ? -1 : 1))) {
    let best = '';
    let bestScore = -1;
    for (const [v, score] of [...byValue].sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (score > bestScore) {
        best = v;
        bestScore = score;
      }
    }
    out[k] = best;
  }
  return out;
}

export interface AttributeObservation {
  /** The merged instance the answer belongs to, e.g. `${itemId}:${instanceIndex}`. */
  instance: string;
  worker: number;
  key: string;
  value: string;
}

/**
 * Resolves every attribute of every instance across a project with Dawid–Skene (one
 * model per attribute key); keys answered by a single worker fall back to majority.
 * Returns, per instance, the value chosen for each key.
 */
export function resolveAttributes(observations: readonly AttributeObservation[]): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>();
  const byKey = new Map<string, AttributeObservation[]>();
  for (const o of observations) {
    const list = byKey.get(o.key) ?? [];
    list.push(o);
    byKey.set(o.key, list);
  }
  for (const [key, list] of byKey) {
    const instances = [...new Set(list.map((o) => o.instance))];
    const workers = [...new Set(list.map((o) => o.worker))];
    const values = [...new Set(list.map((o) => o.value))].sort();
    const ii = new Map(instances.map((x, i) => [x, i]));
    const wi = new Map(workers.map((x, i) => [x, i]));
    const vi = new Map(values.map((x, i) => [x, i]));
    const triples: LabelTriple[] = list.map((o) => [ii.get(o.instance)!, wi.get(o.worker)!, vi.get(o.value)!]);
    const options = { classes: values.length, items: instances.length, workers: workers.length };
    const labels =
      workers.length > 1 && values.length > 1
        ? dawidSkene(triples, options).labels
        : majorityVote(triples, options).labels;
    instances.forEach((inst, i) => {
      const rec = out.get(inst) ?? {};
      rec[key] = values[labels[i]];
      out.set(inst, rec);
    });
  }
  return out;
}
