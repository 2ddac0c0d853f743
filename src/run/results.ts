import type { AuditInfo } from '../audit/audit-info.js';
import type { Comparison } from '../stats/index.js';
import type { MetricKind, MetricRole } from '../spec/types.js';
import type { Row } from '../warehouse/types.js';

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
  sources: { name: string; latestEventAt: string | null; latestLoadedAt: string | null; rowCount: number; hoursSinceLatestEvent: number | null; hoursSinceLatestLoad: number | null }[];
  checks: CheckResult[];
  metrics: MetricResult[];
  decision: Decision;
  /** The aggregate rows the warehouse returned, per step: all the data the numbers come from. */
  data: Record<string, Row[]>;
  /** SHA-256 of the canonical JSON of `data`. */
  dataDigest: string;
  /** Fingerprints, chain link, provenance and change log (src/audit), added when the package is chained. */
  audit?: AuditInfo;
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
  sum: number;
  sumSquares: number;
  mean: number;
  variance: number;
}

export interface ComparisonResult {
  variant: string;
  absolute: Comparison['absolute'];
  relative: Comparison['relative'];
}

export interface MetricResult {
  name: string;
  description: string;
  kind: MetricKind;
  role: MetricRole;
  higherIsBetter: boolean;
  maxRelativeHarm: number | null;
  arms: ArmResult[];
  comparisons: ComparisonResult[];
  dimensions: { dimension: string; value: string; arms: ArmResult[]; comparisons: ComparisonResult[] }[];
}

export type Recommendation = 'ship' | 'iterate' | 'stop' | 'rerun';

export interface Decision {
  recommendation: Recommendation;
  /** The variant to ship, when the recommendation is ship. */
  variant: string | null;
  reasons: { code: string; message: string }[];
}
