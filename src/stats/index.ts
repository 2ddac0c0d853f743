export { armMoments } from './arm-moments.js';
export type { ArmMoments, ArmSums, MetricKind } from './arm-moments.js';
export { compareArms } from './compare-arms.js';
export type { Comparison, LiftEstimate } from './compare-arms.js';
export { sampleRatioMismatch } from './sample-ratio-mismatch.js';
export type { SrmResult } from './sample-ratio-mismatch.js';
export { chiSquareUpperTail, studentTQuantile, studentTTwoSidedP } from './distributions.js';
