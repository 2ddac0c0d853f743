import type { ResolvedExperiment } from '../spec/types.js';

export interface HoldoutSummary {
  /** The held-back arm (the control) and its planned share of traffic. */
  heldBack: string;
  share: number;
  features: string[];
  /** Days from the start to the end of exposures, and the longest metric window in days (null: to as-of). */
  exposureDays: number;
  longestWindowDays: number | null;
}

/** What a holdout spec measures: the held-back share, the features, and how long it has run. */
export function holdoutSummary(exp: ResolvedExperiment, bounds: { start: string; exposureEnd: string }): HoldoutSummary {
  const windows = exp.metrics.flatMap((m) => [m.numerator, ...(m.denominator ? [m.denominator] : [])]).map((c) => c.windowDurationSeconds);
  return {
    heldBack: exp.controlKey,
    share: exp.variants.find((v) => v.isControl)!.weight,
    features: exp.holdout!.features,
    exposureDays: (Date.parse(bounds.exposureEnd) - Date.parse(bounds.start)) / 86_400_000,
    longestWindowDays: windows.some((w) => w === null) ? null : Math.max(...windows.map((w) => w!)) / 86_400,
  };
}
