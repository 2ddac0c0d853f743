import type { Expr } from '../expr/index.js';
import type { ResolvedAssignment, ResolvedLifecycle } from './assignment-schemas.js';

/** What compile sees: every name resolved, every default applied, no YAML left. */

export interface ResolvedSource {
  name: string;
  table: string;
  /** Id column for the experiment's unit type. */
  unitColumn: string;
  /** null: an attribute table (no time), usable only in audience filters. */
  timestamp: string | null;
  loadedAt: string | null;
  experimentKeyColumn: string | null;
  variantColumn: string | null;
  /** Matched pairs by id: paired metrics over this source pair rows across arms by this column. */
  pairKey?: string | null;
  columns: Record<string, 'string' | 'number' | 'boolean' | 'timestamp'>;
  dimensions: string[];
  /** Where the source is defined (models/<file>.yaml:LINE:COL), for warehouse error messages. */
  location?: string;
}

export type MetricKind = 'proportion' | 'mean' | 'count' | 'ratio' | 'paired' | 'quantile';
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
  /** Where the metric is defined (models/<file>.yaml:LINE:COL), for warehouse error messages. */
  location?: string;
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
  /** Guardrails only: tolerated absolute change in the harmful direction, in the metric's units (proportions: a fraction). */
  maxAbsoluteHarm: number | null;
  /** Plain-words name for readers (models `label`); the metric's id when unset. */
  label: string;
  /** Quantile metrics: the level (0.9 = p90), whether values of 0 are left out, and whether it is over per-unit values or over events. */
  quantile?: { level: number; ignoreZeros: boolean; levelOf: 'unit' | 'event' };
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
  /** Metrics tested also with Mann-Whitney U (the ranks step); absent when none. */
  mannWhitney?: string[];
  /** Bandit allocation advice on the primary metric; absent when the spec does not ask for it. */
  bandit?: { minShare: number };
}

export interface ResolvedExclusion {
  name: string;
  /** exclude: matching units are removed; include: only matching units stay. */
  mode: 'exclude' | 'include';
  source: ResolvedSource;
  where: Expr;
}

export interface FactorialDesign {
  factors: { name: string; levels: string[] }[];
  /** Variant key -> factor name -> level. */
  cells: Record<string, Record<string, string>>;
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
  /** Holdouts: the features the control arm is held back from. */
  holdout?: { features: string[] };
  /** Factorial designs: factors with their levels (the control's level first) and each variant's cell. */
  factorial?: FactorialDesign;
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
