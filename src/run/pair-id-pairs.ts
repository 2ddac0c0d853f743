import { pairedTTest } from '../stats/index.js';
import type { ResolvedExperiment } from '../spec/types.js';
import type { Cell, Row } from '../warehouse/types.js';
import type { MetricResult } from './results.js';

const num = (c: Cell | undefined): number => (c === null || c === undefined ? 0 : Number(c));

/**
 * Pairs-step rows -> the paired test of each treatment against control, for paired metrics whose source
 * has pair_key, replacing the per-unit paired tests in place. A treatment row holds the pairs found
 * (pair ids with a value in both arms), the sum of the differences treatment - control and of their
 * squares. Control has no entry: it is the other half of every pair. A treatment without pairs gets
 * the test's "not estimable" result, never a silent zero.
 */
export function addPairIdPairs(exp: ResolvedExperiment, metrics: MetricResult[], names: string[], rows: Row[]): void {
  for (const name of names) {
    const m = metrics.find((x) => x.name === name);
    if (!m) continue;
    m.paired = exp.variants
      .filter((v) => !v.isControl)
      .map((v) => {
        const r = rows.find((x) => x.metric === name && x.variant === v.key);
        const pairs = num(r?.pairs);
        return {
          variant: v.key,
          pairs,
          difference: pairedTTest(
            { n: pairs, sumDiff: num(r?.d_sum), sumDiffSquares: num(r?.d_sum_squares) },
            { alpha: exp.alpha, sides: m.method.sides, sequential: m.method.sequential ? { tuning: m.method.sequential.tuning } : false },
          ),
        };
      });
  }
}
