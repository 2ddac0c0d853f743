import type { CheckDefinition } from './check-types.js';
import dataStale from './data-stale.js';
import experimentDrift from './experiment-drift.js';
import insufficientSamples from './insufficient-samples.js';
import largeSplit from './large-split.js';
import multipleExposure from './multiple-exposure.js';
import prePeriodImbalance from './pre-period-imbalance.js';
import sampleRatioMismatch from './sample-ratio-mismatch.js';

/** Every health check, in report order. A new check is a new file plus one line here. */
export const CHECKS: readonly CheckDefinition[] = [
  sampleRatioMismatch,
  dataStale,
  multipleExposure,
  insufficientSamples,
  largeSplit,
  prePeriodImbalance,
  experimentDrift,
] as unknown as readonly CheckDefinition[];

export type { CheckDefinition, CheckInputs, CheckOutcome, Severity } from './check-types.js';
