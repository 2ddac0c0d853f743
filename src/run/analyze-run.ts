import { CHECKS, type CheckInputs } from '../../checks/index.js';
import type { CompiledExperiment } from '../compile/compile-experiment.js';
import { RESULTS_SCHEMA_VERSION } from '../compile/artifacts.js';
import type { ResolvedExperiment } from '../spec/types.js';
import { metricResults } from './analyze-metrics.js';
import { metricCheckInputs } from './metric-check-inputs.js';
import { banditAdvice } from './bandit-advice.js';
import { factorialResults } from './factorial-results.js';
import { holdoutSummary } from './holdout-summary.js';
import { addRankTests } from './rank-tests.js';
import { addShiftBounds } from './shift-bounds.js';
import { addPairIdPairs } from './pair-id-pairs.js';
import { assignmentAudit } from './assignment-audit.js';
import { exposureQuality } from './exposure-quality.js';
import { canonicalJson, sha256 } from '../util/digest.js';
import type { Cell, Row } from '../warehouse/types.js';
import { decide } from './decide.js';
import { summarizeAudience } from './audience-summary.js';
import { primaryTimeline } from './results-timeline.js';
import type { CheckResult, Results } from './results.js';

const HOUR = 3_600_000;
const num = (c: Cell | undefined): number => (c === null || c === undefined ? 0 : Number(c));
const str = (c: Cell | undefined): string | null => (c === null || c === undefined ? null : String(c));
const NULL_DIMENSION = '(null)';

/** Sorts rows by their canonical JSON so the data digest does not depend on row order. */
function canonicalRows(rows: Row[]): Row[] {
  return rows.map((r) => ({ row: r, key: canonicalJson(r) })).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map((x) => x.row);
}

export type RunInfo = Results['run'];

/** Warehouse aggregates -> checks, statistics and decision. Pure: no SQL, no I/O. */
export function analyze(exp: ResolvedExperiment, compiled: CompiledExperiment, data: Record<string, Row[]>, run: RunInfo, toolVersion: string): Results {
  const sorted = Object.fromEntries(Object.entries(data).map(([k, rows]) => [k, canonicalRows(rows)]));
  const asOfMs = Date.parse(compiled.asOf);

  // Exposures: variant NULL means the unit was seen in more than one variant.
  // With audience filters the rows also say which filters removed the units; the checks see the kept units.
  const { kept: exposureRows, audience } = summarizeAudience(sorted.exposures ?? [], exp.exclusions);
  const declared = new Set(exp.variants.map((v) => v.key));
  const byKey = new Map(exposureRows.filter((r) => r.variant !== null).map((r) => [String(r.variant), r]));
  const variants = exp.variants.map((v) => {
    const r = byKey.get(v.key);
    return { key: v.key, plannedWeight: v.weight, units: num(r?.units), observedShare: 0, firstExposureAt: str(r?.first_exposure_at), lastExposureAt: str(r?.last_exposure_at) };
  });
  const analysedUnits = variants.reduce((a, v) => a + v.units, 0);
  for (const v of variants) v.observedShare = analysedUnits ? v.units / analysedUnits : 0;
  const multipleVariantUnits = num(exposureRows.find((r) => r.variant === null)?.units);
  const unknownVariants = [...byKey.entries()].filter(([k]) => !declared.has(k)).map(([key, r]) => ({ key, units: num(r.units) }));

  const sources = (sorted.sources ?? []).map((r) => {
    const latestEventAt = str(r.latest_event_at);
    const latestLoadedAt = str(r.latest_loaded_at);
    return {
      name: String(r.source_name),
      latestEventAt,
      latestLoadedAt,
      rowCount: num(r.row_count),
      hoursSinceLatestEvent: latestEventAt === null ? null : (asOfMs - Date.parse(latestEventAt)) / HOUR,
      hoursSinceLatestLoad: latestLoadedAt === null ? null : (asOfMs - Date.parse(latestLoadedAt)) / HOUR,
    };
  });

  // Metrics: the overall row has every dimension's GROUPING() = 1.
  const metricRows = sorted.metrics ?? [];
  const dims = compiled.layout.dimensions;
  const overall = metricRows.filter((r) => dims.every((d) => num(r[d.groupingAlias]) === 1));
  const byDimension = dims.flatMap((d) => {
    const rows = metricRows.filter((r) => num(r[d.groupingAlias]) === 0);
    const valueOf = (r: Row) => str(r[d.alias]) ?? NULL_DIMENSION;
    const values = [...new Set(rows.map(valueOf))].sort();
    return values.map((value) => ({ dimension: d.name, value, rows: rows.filter((r) => valueOf(r) === value) }));
  });
  const metrics = metricResults(exp, compiled.layout.metrics, overall, byDimension, sorted.quantiles ?? []);
  if (compiled.layout.rankTests) addRankTests(exp, metrics, sorted.ranks ?? []);
  if (compiled.layout.rankTests) addShiftBounds(exp, metrics, sorted.shift_bins ?? []);
  if (compiled.layout.pairMetrics) addPairIdPairs(exp, metrics, compiled.layout.pairMetrics, sorted.pairs ?? []);

  const inputs: CheckInputs = {
    asOf: compiled.asOf,
    variants: variants.map((v) => ({ key: v.key, weight: v.plannedWeight, units: v.units })),
    multipleVariantUnits,
    unknownVariantUnits: unknownVariants.reduce((a, v) => a + v.units, 0),
    sources: sources.map(({ name, latestEventAt, latestLoadedAt, rowCount }) => ({ name, latestEventAt, latestLoadedAt, rowCount, neededUntil: compiled.dataNeededUntil?.[name] })),
    end: exp.end,
    assignment: assignmentAudit(exp, sorted.assignment),
    exposureQuality: exposureQuality(exp, sorted.exposure_quality),
    ...metricCheckInputs(exp, metrics),
  };
  const checks: CheckResult[] = CHECKS.map((c) => {
    const { severity, ...settings } = exp.checks[c.id];
    const base = { id: c.id, reasonCode: c.reasonCode, title: c.title, severity };
    if (severity === 'off') return { ...base, status: 'off', measured: '', threshold: '', message: 'Turned off in the spec.' };
    const o = c.evaluate(inputs, settings);
    return { ...base, status: o.passed ? 'pass' : 'fail', measured: o.measured, threshold: o.threshold, message: o.message };
  });

  return {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    tool: { name: 'exptrack', version: toolVersion },
    experiment: {
      id: exp.id,
      name: exp.name,
      owner: exp.owner,
      hypothesis: exp.hypothesis,
      unit: exp.unit,
      experimentKey: exp.exposure.experimentKey,
      start: exp.start,
      end: exp.end,
      control: exp.controlKey,
      variants: exp.variants,
      alpha: exp.alpha,
      dimensions: exp.dimensions,
      analysis: exp.analysis,
      decisionPolicy: exp.decision,
      specFile: exp.specFile,
    },
    run,
    bounds: compiled.bounds,
    exposures: { variants, multipleVariantUnits, unknownVariants, analysedUnits },
    ...(audience ? { audience } : {}),
    sources,
    checks,
    metrics,
    decision: decide(exp, checks, metrics),
    timeline: primaryTimeline(exp, compiled, sorted.daily),
    ...(exp.analysis.bandit ? { bandit: banditAdvice(exp, metrics) } : {}),
    ...(exp.factorial ? { factorial: factorialResults(exp, metrics) } : {}),
    ...(exp.holdout ? { holdout: holdoutSummary(exp, compiled.bounds) } : {}),
    data: sorted,
    dataDigest: sha256(canonicalJson(sorted)),
  };
}
