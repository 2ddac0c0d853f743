/** Every artifact name and schema version in one place. */

export const STEPS = [
  { name: 'exposures', file: '01_exposures.sql', template: 'exposures' },
  { name: 'metrics', file: '02_metrics.sql', template: 'metrics' },
  { name: 'sources', file: '03_sources.sql', template: 'sources' },
  { name: 'fingerprints', file: '04_fingerprints.sql', template: 'fingerprints' },
  // The metrics template again, summed per exposure day without dimensions: the results-over-time series.
  { name: 'daily', file: '05_daily.sql', template: 'metrics', daily: true },
  { name: 'exposure_quality', file: '06_exposure_quality.sql', template: 'exposure_quality' },
] as const;
/** Compiled only for specs that declare `assignment:`: the in-warehouse assignment audit. */
export const ASSIGNMENT_STEP = { name: 'assignment', file: '07_assignment.sql', template: 'assignment' } as const;
/** Compiled after the steps above only when the spec asks for rank tests (analysis.mann_whitney). */
export const RANKS_STEP = { name: 'ranks', file: '08_ranks.sql', template: 'ranks' } as const;
/** Compiled with the ranks step: per-arm rank bins that bound the Hodges-Lehmann shift. */
export const SHIFT_BINS_STEP = { name: 'shift_bins', file: '08_shift_bins.sql', template: 'shift_bins' } as const;
/** Pooled-rank bins per ranking; rows returned are bounded by twice this, whatever the units. */
export const SHIFT_BINS = 400;
/** Compiled only when a paired metric reads a source with pair_key: matched pairs joined by pair id. */
export const PAIRS_STEP = { name: 'pairs', file: '10_pairs.sql', template: 'pairs' } as const;
/** Compiled after the ranks steps, only when the spec has quantile metrics: their order statistics per arm (src/run/quantile-results.ts). */
export const QUANTILES_STEP = { name: 'quantiles', file: '09_quantiles.sql', template: 'quantiles' } as const;
export type StepName = (typeof STEPS)[number]['name'] | typeof ASSIGNMENT_STEP.name | typeof RANKS_STEP.name | typeof QUANTILES_STEP.name | typeof SHIFT_BINS_STEP.name | typeof PAIRS_STEP.name;

export const COMPILED_DIR = 'compiled';
export const COMPILE_MANIFEST = 'manifest.json';
export const COMPILE_MANIFEST_SCHEMA_VERSION = 1;

export const PACKAGE_FILES = {
  report: 'report.md',
  results: 'results.json',
  manifest: 'manifest.json',
  checksums: 'SHA256SUMS',
  sqlDir: 'sql',
  specDir: 'spec',
  modelsDir: 'models',
  changelog: 'CHANGELOG.md',
  /** Ed25519 signature of SHA256SUMS; the one file SHA256SUMS cannot list. */
  signature: 'signature.json',
} as const;
export const RESULTS_SCHEMA_VERSION = 1;
export const PACKAGE_MANIFEST_SCHEMA_VERSION = 2;

/** Files of an experiment's report folder, beside its packages (src/audit). */
export const EXPERIMENT_FILES = {
  /** Every package and decision in the order written: the chain's own record. */
  chainLog: 'chain.log',
  decisions: 'decisions.jsonl',
  lock: '.lock',
} as const;
/** reports/index.md: every experiment, its runs and its latest decision. */
export const REPORTS_INDEX_FILE = 'index.md';
/** What `exptrack archive` writes at the top of an archive folder. */
export const ARCHIVE_FILE = 'ARCHIVE.json';
