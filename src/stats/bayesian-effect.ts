import type { Interval } from './effect-test.js';

/** Gaussian prior on the lift; proper false (default) = flat improper prior. */
export interface GaussianPrior {
  mean: number;
  variance: number;
  proper: boolean;
}

export interface BayesianEstimate {
  ok: boolean;
  message?: string;
  /** Posterior mean and sd of the lift. */
  mean: number;
  sd: number;
  /** P(lift > 0). */
  chanceToWin: number;
  /** [E max(0, lift), E max(0, -lift)]: expected loss of choosing control, of choosing treatment. */
  risk: [number, number];
  /** Equal-tailed credible interval at 1 - alpha. */
  ci: Interval;
}

export function bayesianEffect(_lift: number, _variance: number, _prior?: GaussianPrior, _alpha?: number): BayesianEstimate {
  throw new Error('not implemented');
}
