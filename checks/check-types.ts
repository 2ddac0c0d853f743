import type { z } from 'zod';
import type { ArmSufficientStats, EffectEstimate } from '../src/stats/index.js';

export type Severity = 'error' | 'warn';

/** Everything a check may look at: warehouse aggregates and the planned design, no SQL. */
export interface CheckInputs {
  asOf: string;
  variants: { key: string; weight: number; units: number }[];
  /** Units seen in more than one variant (excluded from the analysis). */
  multipleVariantUnits: number;
  /** Units whose only variant is not declared in the spec. */
  unknownVariantUnits: number;
  /** neededUntil: up to when the analysis reads the source (absent: the as-of). */
  sources: { name: string; latestEventAt: string | null; latestLoadedAt: string | null; rowCount: number; neededUntil?: string }[];
  /** The experiment's end (spec `end:`), when it has one: the latency check's remedies depend on it. */
  end?: string | null;
  /** The spec's significance level and sequential tuning (null: fixed horizon), for checks that test. */
  alpha?: number;
  sequentialTuning?: number | null;
  /** Paired metrics: each non-control variant's difference from the live outcome of the same units. */
  paired?: { metric: string; variant: string; higherIsBetter: boolean; n: number; difference: EffectEstimate }[];
  /** Metrics measured before exposure (CUPED): each arm's pre-period statistics, control first. */
  prePeriod?: { metric: string; arms: { variant: string; stats: ArmSufficientStats }[] }[];
  /** The assignment audit (step assignment); null or absent when the spec declares no assignment scheme. */
  assignment?: AssignmentAudit | null;
  /** The exposure_quality step; null or absent when not measured. */
  exposureQuality?: ExposureQuality | null;
}

export interface ExposureQuality {
  /** Exposure-source rows in the window, and those without an experiment key. */
  exposureRows: number;
  missingKeyRows: number;
  /** Analysed units matching a model filter marked bot or internal that the spec does not exclude. */
  markedUnits: number;
  analysedUnits: number;
  markedFilters: string[];
  /** Rows of metric sources tagged with this experiment's key, and those before the unit's first exposure (or of never-exposed units). */
  taggedEvents: number;
  earlyEvents: number;
}

export interface AssignmentAudit {
  scheme: string;
  /** Exposed units seen in exactly one variant, whose variant was recomputed. */
  auditedUnits: number;
  mismatchedUnits: number;
  /** Units per (logged, expected) pair where the two differ. */
  mismatches: { logged: string; expected: string; units: number }[];
}

export interface CheckOutcome {
  passed: boolean;
  /** The figure compared with the threshold, for the report. */
  measured: string;
  threshold: string;
  message: string;
}

/** One health check: a file in checks/, listed in checks/index.ts. */
export interface CheckDefinition<S extends z.ZodObject = z.ZodObject> {
  id: string;
  reasonCode: string;
  title: string;
  /** What it measures and why it matters, for the report's methodology section. */
  description: string;
  defaultSeverity: Severity;
  /** Settings a spec may give under `checks.<id>`; every field needs a default. */
  settings: S;
  evaluate(inputs: CheckInputs, settings: z.infer<S>): CheckOutcome;
}

export function defineCheck<S extends z.ZodObject>(def: CheckDefinition<S>): CheckDefinition<S> {
  return def;
}

export { count as formatCount } from '../src/util/format.js';
