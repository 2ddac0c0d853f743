import type { Sides } from './effect-test.js';

export interface PowerInputs {
  /** Baseline per-unit mean and variance of the primary metric. */
  baselineMean: number;
  baselineVariance: number;
  /** 'proportion' recomputes the treatment variance p (1 - p) at the lifted mean; default 'mean'. */
  kind?: 'mean' | 'proportion';
  /** New units per day over all arms. */
  dailyUnits: number;
  /** Traffic weights of the arms, control first; default [0.5, 0.5]. */
  weights?: number[];
  alpha?: number;
  /** Target power, default 0.8. */
  power?: number;
  sides?: Sides;
  /** Sequential (always-valid) test; the tuning parameter default 5000. */
  sequential?: boolean;
  sequentialTuning?: number;
}

export interface SampleSizePlan {
  relativeMde: number;
  /** Units needed in each arm, control first (null when unreachable). */
  unitsPerArm: number[] | null;
  totalUnits: number | null;
  days: number | null;
}

export interface DurationPlan {
  days: number;
  totalUnits: number;
  unitsPerArm: number[];
  /** Smallest relative lift detected with the target power (null when none is). */
  relativeMde: number | null;
  absoluteMde: number | null;
}

export function sampleSizeForMde(_inputs: PowerInputs, _relativeMde: number): SampleSizePlan {
  throw new Error('not implemented');
}

export function mdeForDuration(_inputs: PowerInputs, _days: number): DurationPlan {
  throw new Error('not implemented');
}

/** Power to detect a relative lift after `days` (comparison of the smallest treatment arm with control). */
export function powerForLift(_inputs: PowerInputs, _relativeLift: number, _days: number): number {
  throw new Error('not implemented');
}
