import { thompsonAllocation } from '../stats/index.js';
import type { ResolvedExperiment } from '../spec/types.js';
import type { MetricResult } from './results.js';

export interface BanditAdvice {
  metric: string;
  higherIsBetter: boolean;
  minShare: number;
  /** Per variant: posterior of the arm mean, chance of being best, current planned and advised share. */
  arms: { variant: string; mean: number; sd: number; probabilityBest: number; plannedWeight: number; advisedWeight: number }[];
  assumptions: string[];
}

/**
 * Thompson-sampling weights for the next period from the primary metric's arm means (flat prior:
 * posterior N(mean, variance / n)). Advice only: nothing here changes the assignment. Null when the
 * primary metric cannot support it (a paired metric, or an arm with fewer than 2 units).
 */
export function banditAdvice(exp: ResolvedExperiment, metrics: MetricResult[]): BanditAdvice | null {
  const primary = metrics.find((m) => m.role === 'primary');
  const settings = exp.analysis.bandit;
  if (!primary || !settings || primary.kind === 'paired' || primary.arms.some((a) => a.n < 2)) return null;
  const posteriors = primary.arms.map((a) => ({ variant: a.variant, mean: a.mean, sd: Math.sqrt(Math.max(0, a.variance) / a.n) }));
  const advice = thompsonAllocation(posteriors, { minShare: settings.minShare, higherIsBetter: primary.higherIsBetter });
  return {
    metric: primary.name,
    higherIsBetter: primary.higherIsBetter,
    minShare: settings.minShare,
    arms: posteriors.map((p) => ({
      ...p,
      probabilityBest: advice.probabilityBest[p.variant],
      plannedWeight: exp.variants.find((v) => v.key === p.variant)!.weight,
      advisedWeight: advice.weights[p.variant],
    })),
    assumptions: [
      'Each arm mean has an independent normal posterior (flat prior, central limit theorem): N(mean, variance / units).',
      'The metric is stationary: the arms compare the same way in the next period as so far.',
      'Units are assigned afresh: returning units keep their variant, so a shifted split changes the mix of new and returning units per arm.',
      'Changing weights mid-experiment invalidates the planned-weights SRM check and biases a pooled comparison when behaviour drifts over time; re-plan, or start a new period, before acting.',
    ],
  };
}
