import type { Expr } from '../expr/index.js';
import type { ResolvedAssignment, ResolvedLifecycle } from './assignment-schemas.js';

/** What compile sees: every name resolved, every default applied, no YAML left. */

export interface ResolvedSource {
  name: string;
  table: string;
  /** Id column for the experiment's unit type. */
  unitColumn: string;
  timestamp: string;
  loadedAt: string | null;
  experimentKeyColumn: string | null;
  variantColumn: string | null;
  columns: Record<string, 'string' | 'number' | 'boolean' | 'timestamp'>;
  dimensions: string[];
}

export type MetricKind = 'proportion' | 'mean' | 'count' | 'ratio' | 'paired';
export type MetricRole = 'primary' | 'secondary' | 'guardrail';

export type Capping = { kind: 'percentile'; percentile: number; ignoreZeros: boolean } | { kind: 'value'; value: number };

/** One per-unit quantity read from one source: a whole metric, or one side of a ratio. */
export interface MetricComponent {
  /** The model metric it comes from. */
  name: string;
  kind: 'proportion' | 'mean' | 'count' | 'paired';
  source: ResolvedSource;
  value: Expr | null;
  /** Paired metrics: the control outcome; the unit's value is value - baseline. */
  baseline: Expr | null;
  filter: Expr | null;
  windowDelaySeconds: number;
  /** null: counts every event from the delay up to the analysis end. */
  windowDurationSeconds: number | null;
  capping: Capping | null;
}

export interface ResolvedMetric {
  name: string;
  description: string;
  kind: MetricKind;
  role: MetricRole;
  /** The metric's per-unit value, or a ratio's numerator. */
  numerator: MetricComponent;
  /** Ratio metrics only. */
  denominator: MetricComponent | null;
  higherIsBetter: boolean;
  /** Guardrails only: tolerated relative change in the harmful direction. */
  maxRelativeHarm: number | null;
}

/** How the spec asks for its numbers to be computed (spec `analysis:`, defaults applied). */
export interface AnalysisSettings {
  schedule: 'none' | 'daily' | 'hourly';
  sequential: boolean;
  sequentialTuning: number;
  /** Pre-exposure lookback in seconds; null when CUPED is off. */
  cupedLookbackSeconds: number | null;
  test: 'two_sided' | 'one_sided';
  correction: 'none' | 'holm' | 'benjamini_hochberg';
  /** Gaussian prior on the relative lift; null: flat. */
  prior: { mean: number; stddev: number } | null;
  dimensionValues: number;
}

export interface ResolvedExclusion {
  name: string;
  source: ResolvedSource;
  where: Expr;
}

export interface ResolvedVariant {
  key: string;
  weight: number;
  isControl: boolean;
}

export interface ResolvedExperiment {
  id: string;
  name: string;
  owner: string;
  hypothesis: string;
  unit: string;
  exposure: { source: ResolvedSource; experimentKey: string };
  variants: ResolvedVariant[];
  controlKey: string;
  /** ISO-8601 UTC. */
  start: string;
  end: string | null;
  exclusions: ResolvedExclusion[];
  metrics: ResolvedMetric[];
  dimensions: string[];
  analysis: AnalysisSettings;
  alpha: number;
  /** Per check id: its settings with defaults applied, plus severity. */
  checks: Record<string, Record<string, unknown> & { severity: 'error' | 'warn' | 'off' }>;
  decision: { minRelativeLift: number; whenInconclusive: 'iterate' | 'stop' };
  /** Spec `assignment:`: the declared bucketing scheme, audited by the assignment_mismatch check. Absent or null: none declared. */
  assignment?: ResolvedAssignment | null;
  /** Model filters marked `traffic: bot | internal` that the spec does not exclude. */
  markedTraffic?: (ResolvedExclusion & { traffic: 'bot' | 'internal' })[];
  /** Spec `lifecycle:`: limits of the lifecycle signals in `run --json`. */
  lifecycle?: ResolvedLifecycle;
  /** Project-relative path of the spec file and its exact text (snapshotted into reports). */
  specFile: string;
  specText: string;
  /** Project-relative paths of the model files this experiment uses. */
  modelFiles: string[];
  /** Their exact texts, as validated (snapshotted into reports). */
  modelTexts: Record<string, string>;
}
