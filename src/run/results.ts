import type { AuditInfo } from '../audit/audit-info.js';
import type { RefreshRecord } from '../state/refresh-state.js';
import type { ArmSufficientStats, BayesianEstimate, EffectEstimate, TreatmentComparison } from '../stats/index.js';
import type { AnalysisSettings, Capping, MetricKind, MetricRole } from '../spec/types.js';
import type { Row } from '../warehouse/types.js';
import type { AudienceSummary } from './audience-summary.js';
import type { BanditAdvice } from './bandit-advice.js';
import type { FactorialResult } from './factorial-results.js';
import type { HoldoutSummary } from './holdout-summary.js';
import type { RankTestResult } from './rank-tests.js';
import type { QuantileMetricResult } from './quantile-results.js';

/** results.json: every number of one run, and the only input of the report. */
export interface Results {
  schemaVersion: number;
  tool: { name: 'exptrack'; version: string };
  experiment: {
    id: string;
    name: string;
    owner: string;
    hypothesis: string;
    unit: string;
    experimentKey: string;
    start: string;
    end: string | null;
    control: string;
    variants: { key: string; weight: number; isControl: boolean }[];
    alpha: number;
    analysis: AnalysisSettings;
    dimensions: string[];
    decisionPolicy: { minRelativeLift: number; whenInconclusive: 'iterate' | 'stop' };
    specFile: string;
  };
  run: { runId: string; asOf: string; target: { name: string; type: string }; startedAt: string; finishedAt: string };
  bounds: { start: string; exposureEnd: string; asOf: string };
  exposures: {
    variants: { key: string; plannedWeight: number; units: number; observedShare: number; firstExposureAt: string | null; lastExposureAt: string | null }[];
    multipleVariantUnits: number;
    unknownVariants: { key: string; units: number }[];
    analysedUnits: number;
  };
  /** What each audience filter removed and how that overlaps with multiple exposure; absent without filters. */
  audience?: AudienceSummary;
  sources: { name: string; latestEventAt: string | null; latestLoadedAt: string | null; rowCount: number; hoursSinceLatestEvent: number | null; hoursSinceLatestLoad: number | null }[];
  checks: CheckResult[];
  metrics: MetricResult[];
  decision: Decision;
  /** The primary metric's cumulative lift by day of first exposure, and units per day (the daily step); null without one. */
  timeline?: Timeline | null;
  /** The aggregate rows the warehouse returned, per step: all the data the numbers come from. */
  data: Record<string, Row[]>;
  /** Thompson-sampling traffic advice on the primary metric, when the spec asks for it (src/run/bandit-advice.ts). */
  bandit?: BanditAdvice | null;
  /** Holdouts: what the held-back control measures (src/run/holdout-summary.ts). */
  holdout?: HoldoutSummary;
  /** Factorial designs: main effects and interactions per metric (src/run/factorial-results.ts). */
  factorial?: FactorialResult | null;
  /** SHA-256 of the canonical JSON of `data`. */
  dataDigest: string;
  /** Fingerprints, chain link, provenance and change log (src/audit), added when the package is chained. */
  audit?: AuditInfo;
  /** How the numbers were refreshed, when the run went through state (src/state): mode and why. */
  refresh?: RefreshRecord;
}

export interface CheckResult {
  id: string;
  reasonCode: string;
  title: string;
  severity: 'error' | 'warn' | 'off';
  status: 'pass' | 'fail' | 'off';
  measured: string;
  threshold: string;
  message: string;
}

export interface ArmResult {
  variant: string;
  n: number;
  /** Sum and sum of squares of the metric's per-unit value (a ratio's numerator). */
  sum: number;
  sumSquares: number;
  /** The metric's mean (a ratio: sum of numerator over sum of denominator) and per-unit variance. */
  mean: number;
  variance: number;
  /** Every sufficient statistic the warehouse returned for this arm. */
  stats: ArmSufficientStats;
}

/** A lift, with the multiple-testing adjustment when its metric belongs to a corrected family. */
export type CorrectedEstimate = EffectEstimate & { pValueAdjusted?: number; ciAdjusted?: EffectEstimate['ci'] };

export interface ComparisonResult {
  variant: string;
  absolute: EffectEstimate;
  relative: CorrectedEstimate;
  /** CUPED: theta and the variance reduction achieved; null when not applied. */
  cuped: TreatmentComparison['cuped'];
  /** With CUPED: the same relative lift without the adjustment, and how much narrower the adjusted interval is (0.1 = 10%). */
  unadjusted: { relative: EffectEstimate; ciNarrowing: number | null } | null;
  /** Bayesian readout on the relative lift. */
  bayesian: BayesianEstimate;
}

/** Which method produced a metric's numbers (the report's methodology section reads this). */
export interface MetricMethod {
  test: 'welch-t' | 'paired-t' | 'quantile-order-statistics';
  sides: 'two-sided' | 'greater' | 'less';
  sequential: { tuning: number } | null;
  cuped: { lookbackSeconds: number } | null;
  capping: { numerator: Capping | null; denominator: Capping | null } | null;
  prior: AnalysisSettings['prior'];
  correction: AnalysisSettings['correction'];
}

export interface MetricResult {
  name: string;
  description: string;
  kind: MetricKind;
  role: MetricRole;
  higherIsBetter: boolean;
  maxRelativeHarm: number | null;
  /** In the metric's units (proportions: a fraction, 0.01 = 1 percentage point); absent or null: none. */
  maxAbsoluteHarm?: number | null;
  /** Plain-words name (models `label`), the id when unset. */
  label: string;
  method: MetricMethod;
  /** Caps applied, per quantity (y: value or numerator, d: denominator, x/e: their pre-exposure values). */
  caps: Record<string, number | null>;
  arms: ArmResult[];
  comparisons: ComparisonResult[];
  /** Paired metrics: the test on per-unit differences, per arm. */
  paired: { variant: string; difference: EffectEstimate; /** Pairs matched by pair id (sources with pair_key); absent for per-unit pairs. */ pairs?: number }[] | null;
  dimensions: { dimension: string; value: string; arms: ArmResult[]; comparisons: ComparisonResult[] }[];
  /** Mann-Whitney U per treatment, when the spec lists the metric under analysis.mann_whitney. */
  mannWhitney?: RankTestResult[];
  /** Quantile metrics: each arm's order statistics (the arms' mean is the quantile; not broken down by dimension). */
  quantile?: QuantileMetricResult;
}

export type Recommendation = 'ship' | 'iterate' | 'stop' | 'rerun';

export interface Decision {
  recommendation: Recommendation;
  /** The variant to ship, when the recommendation is ship. */
  variant: string | null;
  reasons: { code: string; message: string }[];
}

/** Per UTC day since start: units first exposed that day and so far, and the primary lift over the units so far. */
export interface Timeline {
  metric: string;
  days: {
    day: string;
    variants: { variant: string; newUnits: number; units: number }[];
    comparisons: { variant: string; ok: boolean; lift: number; ci: [number | null, number | null] }[];
  }[];
}
