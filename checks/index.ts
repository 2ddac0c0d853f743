import assignmentMismatch from './assignment-mismatch.js';
import type { CheckDefinition } from './check-types.js';
import dataStale from './data-stale.js';
import experimentDrift from './experiment-drift.js';
import eventsBeforeExposure from './events-before-exposure.js';
import exposureMissingKey from './exposure-missing-key.js';
import insufficientSamples from './insufficient-samples.js';
import largeSplit from './large-split.js';
import markedTraffic from './marked-traffic.js';
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
  assignmentMismatch,
  exposureMissingKey,
  eventsBeforeExposure,
  markedTraffic,
] as unknown as readonly CheckDefinition[];

export type { AssignmentAudit, ExposureQuality, CheckDefinition, CheckInputs, CheckOutcome, Severity } from './check-types.js';
