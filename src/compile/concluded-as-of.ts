import type { ResolvedExperiment } from '../spec/types.js';
import { addSeconds, minIso } from '../util/instants.js';

/** The longest metric window (delay + duration) in seconds; open-ended windows count as 0. */
export function longestWindowSeconds(exp: ResolvedExperiment): number {
  const components = exp.metrics.flatMap((m) => (m.denominator ? [m.numerator, m.denominator] : [m.numerator]));
  return Math.max(0, ...components.map((c) => c.windowDelaySeconds + (c.windowDurationSeconds ?? 0)));
}

/**
 * The as-of a concluded experiment (one with `end:`) is analysed at when neither --as-of nor as_of
 * is given: its end plus the longest metric window, so the last exposed units get their whole
 * window, and never later than the clock. Without `end:` it is the clock.
 */
export function defaultAsOf(exp: ResolvedExperiment, clock: string): string {
  if (exp.end === null) return clock;
  return minIso(addSeconds(exp.end, longestWindowSeconds(exp)), new Date(clock).toISOString());
}
