import { standardNormalCdf, standardNormalPdf, standardNormalQuantile } from './distributions.js';
import type { Interval } from './effect-test.js';

/** Gaussian prior on the lift; proper false (default) = flat improper prior. */
export interface GaussianPrior {
  mean: number;
  variance: number;
  proper: boolean;
}

export const FLAT_PRIOR: GaussianPrior = { mean: 0, variance: 1, proper: false };

export interface BayesianEstimate {
  ok: boolean;
  message?: string;
  /** Posterior mean and sd of the lift. */
  mean: number;
  sd: number;
  /** P(the lift is in the better direction): P(lift > 0), or P(lift < 0) when lower is better. */
  chanceToWin: number;
  /**
   * Expected loss of choosing control, of choosing treatment, in the better direction:
   * [E max(0, lift), E max(0, -lift)], swapped when lower is better.
   */
  risk: [number, number];
  /** Equal-tailed credible interval at 1 - alpha. */
  ci: Interval;
}

/**
 * Gaussian posterior on a lift observed as `lift` with sampling variance `variance` (gbstats'
 * GaussianEffectABTest): precision-weighted with a proper prior, the likelihood itself with a flat one.
 */
export function bayesianEffect(lift: number, variance: number, prior: GaussianPrior = FLAT_PRIOR, alpha = 0.05, higherIsBetter = true): BayesianEstimate {
  if (prior.proper && !(prior.variance > 0 && Number.isFinite(prior.mean))) {
    throw new RangeError(`a proper prior needs a finite mean and a variance > 0, got ${prior.mean} and ${prior.variance}`);
  }
  if (!(variance > 0) || !Number.isFinite(variance) || !Number.isFinite(lift)) {
    return { ok: false, message: 'The lift variance is zero or not finite.', mean: 0, sd: 0, chanceToWin: 0.5, risk: [0, 0], ci: [0, 0] };
  }
  const precision = 1 / variance + (prior.proper ? 1 / prior.variance : 0);
  const mean = prior.proper ? (lift / variance + prior.mean / prior.variance) / precision : lift;
  const sd = Math.sqrt(1 / precision);
  const z = mean / sd;
  // E max(0, L) = m Phi(m/s) + s phi(m/s); the other side by symmetry.
  const gain = mean * standardNormalCdf(z) + sd * standardNormalPdf(z);
  const loss = -mean * standardNormalCdf(-z) + sd * standardNormalPdf(z);
  const q = standardNormalQuantile(1 - alpha / 2) * sd;
  // gbstats flips inverse metrics the same way: the posterior stays on the lift, only "better" turns round.
  const chanceToWin = standardNormalCdf(higherIsBetter ? z : -z);
  const risk: [number, number] = higherIsBetter ? [gain, loss] : [loss, gain];
  return { ok: true, mean, sd, chanceToWin, risk, ci: [mean - q, mean + q] };
}
