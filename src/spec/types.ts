import type { Expr } from '../expr/index.js';

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

export type MetricKind = 'proportion' | 'mean' | 'count';
export type MetricRole = 'primary' | 'secondary' | 'guardrail';

export interface ResolvedMetric {
  name: string;
  description: string;
  kind: MetricKind;
  role: MetricRole;
  source: ResolvedSource;
  value: Expr | null;
  filter: Expr | null;
  windowDelaySeconds: number;
  /** null: counts every event from the delay up to the analysis end. */
  windowDurationSeconds: number | null;
  higherIsBetter: boolean;
  /** Guardrails only: tolerated relative change in the harmful direction. */
  maxRelativeHarm: number | null;
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
  alpha: number;
  /** Per check id: its settings with defaults applied, plus severity. */
  checks: Record<string, Record<string, unknown> & { severity: 'error' | 'warn' | 'off' }>;
  decision: { minRelativeLift: number; whenInconclusive: 'iterate' | 'stop' };
  /** Project-relative path of the spec file and its exact text (snapshotted into reports). */
  specFile: string;
  specText: string;
  /** Project-relative paths of the model files this experiment uses. */
  modelFiles: string[];
  /** Their exact texts, as validated (snapshotted into reports). */
  modelTexts: Record<string, string>;
}
