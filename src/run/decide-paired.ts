import type { ResolvedExperiment } from '../spec/types.js';
import { fmt, pvalOf } from '../util/format.js';
import type { Decision, MetricResult } from './results.js';

/**
 * A paired primary metric (a shadow variant replayed on the inputs of live control) decides on each
 * variant's paired difference, variant outcome minus the live outcome of the same units, not on the
 * comparison between arms: that is the question the design answers, with the variance of the pairs.
 * The difference is in the metric's own units, so min_relative_lift does not apply.
 */
export function decidePaired(exp: ResolvedExperiment, primary: MetricResult): Decision {
  const candidates = (primary.paired ?? []).filter((p) => p.variant !== exp.controlKey);
  const better = (lift: number) => (primary.higherIsBetter ? lift > 0 : lift < 0);
  const describe = (p: (typeof candidates)[number]) => `${p.variant} ${signed(p.difference.lift)} per unit, ${pvalOf(p.difference)}`;
  const significant = candidates.filter((p) => p.difference.ok && p.difference.pValue < exp.alpha);
  const winners = significant.filter((p) => better(p.difference.lift)).sort((a, b) => Math.abs(b.difference.lift) - Math.abs(a.difference.lift));
  if (winners.length) {
    const w = winners[0];
    return {
      recommendation: 'ship',
      variant: w.variant,
      reasons: [{ code: 'PRIMARY_WIN', message: `${w.variant} improves ${primary.name} over the live outcome of the same units by ${signed(w.difference.lift)} per unit (${pvalOf(w.difference)}), and no guardrail was breached.` }],
    };
  }
  const losers = significant.filter((p) => !better(p.difference.lift));
  if (losers.length > 0 && losers.length === candidates.length) {
    return {
      recommendation: 'stop',
      variant: null,
      reasons: losers.map((p) => ({ code: 'PRIMARY_LOSS', message: `${p.variant} makes ${primary.name} worse than the live outcome of the same units: ${signed(p.difference.lift)} per unit (${pvalOf(p.difference)}).` })),
    };
  }
  const notOk = candidates.filter((p) => !p.difference.ok);
  return {
    recommendation: exp.decision.whenInconclusive,
    variant: null,
    reasons: [
      {
        code: 'INCONCLUSIVE',
        message:
          candidates.length === 0
            ? `No variant other than control has pairs for ${primary.name}.`
            : notOk.length > 0
              ? `The paired difference on ${primary.name} cannot be estimated yet: ${notOk.map((p) => `${p.variant}: ${p.difference.message}`).join('; ')}`
              : `No variant's paired difference on ${primary.name} is significant (${candidates.map(describe).join('; ')}).`,
      },
    ],
  };
}

function signed(x: number): string {
  return `${x > 0 ? '+' : ''}${fmt(x)}`;
}
