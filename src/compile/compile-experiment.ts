import type { ResolvedExperiment, ResolvedSource } from '../spec/types.js';
import { minIso } from '../util/instants.js';
import { ValidationError } from '../spec/diagnostics.js';
import { YamlFile } from '../spec/yaml-file.js';
import type { Dialect } from '../warehouse/types.js';
import { fingerprintContext, fingerprintDefinitions, type FingerprintDefinition } from '../audit/fingerprint-sources.js';
import { ASSIGNMENT_STEP, PAIRS_STEP, QUANTILES_STEP, RANKS_STEP, SHIFT_BINS, SHIFT_BINS_STEP, STEPS, type StepName } from './artifacts.js';
import { SqlFragment } from './sql-fragment.js';
import { quantileStepContext, type QuantileMetricLayout } from './quantile-plan.js';
import { assignmentContext } from './assignment-context.js';
import { planMetrics, type MetricLayout, type SourceScan } from './metric-plan.js';
import { expressionSql, tidySql } from './expression-sql.js';
import type { SqlRenderer } from './sql-templates.js';

export interface CompiledStep {
  name: StepName;
  file: string;
  sql: string;
}

/** Dimension values outside the top N (by units) are grouped under this label. */
export const OTHER_DIMENSION_VALUE = '(other)';

/** How to read the metrics step's wide rows back into metrics and dimensions. */
export interface ResultLayout {
  metrics: MetricLayout[];
  dimensions: { name: string; alias: string; groupingAlias: string }[];
  /**
   * Metrics with a Mann-Whitney test (the ranks step), when the spec asks for any. `kind` names the
   * analysis so an incremental planner can tell it cannot merge ranks across refreshes (full refresh).
   */
  rankTests?: { metric: string; kind: 'mann_whitney'; column: string }[];
  /** Paired metrics whose source has pair_key (the pairs step): their paired tests read that step's rows. */
  pairMetrics?: string[];
  /** Quantile metrics (the quantiles step), when the spec has any; `kind` tells an incremental planner they are order statistics, recomputed each refresh. */
  quantileMetrics?: QuantileMetricLayout[];
}

export interface CompiledExperiment {
  experimentId: string;
  asOf: string;
  bounds: { start: string; exposureEnd: string; asOf: string };
  steps: CompiledStep[];
  layout: ResultLayout;
  /** What the fingerprints step covers per source (recorded in the package manifest). */
  fingerprints: FingerprintDefinition[];
  /**
   * Per source, the instant up to which the analysis reads it (exposures: the exposure end; metrics:
   * the end of their scan). The latency check judges data against this, not the clock, so a concluded
   * experiment with complete data passes whatever the as-of.
   */
  dataNeededUntil: Record<string, string>;
  /** Internal table aliases and CTE names of the compiled SQL -> the source they read, so a warehouse error can be told in the user's names. */
  sourceAliases: Record<string, string>;
}

export class CompileError extends Error {}

/** The exposures step's column saying whether audience filter i (spec order: exclude, then include) removed the unit. */
export const audienceFlag = (i: number) => `removed_by_${i + 1}`;


/**
 * Builds the template context and renders every step. Pure: the same experiment, as-of,
 * templates and dialect give the same bytes, and nothing here touches a warehouse.
 */
export function compileExperiment(exp: ResolvedExperiment, asOfInput: string, dialect: Dialect, renderer: SqlRenderer): CompiledExperiment {
  const { asOf, bounds, exposureEnd, context, plan, fingerprints, dimensions, rankTests, quantiles, pairMetrics } = experimentContext(exp, asOfInput, dialect);
  type AnyStep = (typeof STEPS)[number] | typeof ASSIGNMENT_STEP | typeof RANKS_STEP | typeof SHIFT_BINS_STEP | typeof QUANTILES_STEP | typeof PAIRS_STEP;
  const stepContext = (s: AnyStep) => ('daily' in s ? { ...context, daily: true, dimensions: [] } : context);
  const steps = [
    ...STEPS,
    ...(exp.assignment ? [ASSIGNMENT_STEP] : []),
    ...(rankTests.length > 0 ? [RANKS_STEP, SHIFT_BINS_STEP] : []),
    ...(quantiles.layout.length > 0 ? [QUANTILES_STEP] : []),
    ...(pairMetrics.length > 0 ? [PAIRS_STEP] : []),
  ].map((s: AnyStep) => ({ name: s.name, file: s.file, sql: tidySql(renderer.render(s.template, stepContext(s))) }));
  const dataNeededUntil: Record<string, string> = { [exp.exposure.source.name]: exposureEnd };
  const later = (name: string, t: string) => (dataNeededUntil[name] = dataNeededUntil[name] && dataNeededUntil[name] > t ? dataNeededUntil[name] : t);
  for (const s of plan.metricSources) later(s.sourceName, s.scanEnd);
  for (const x of exp.exclusions) if (x.source.timestamp !== null) later(x.source.name, exposureEnd);
  const sourceAliases: Record<string, string> = { x: exp.exposure.source.name, exposure_rows: exp.exposure.source.name };
  for (const s of plan.metricSources) Object.assign(sourceAliases, { [s.alias]: s.sourceName, [s.cte]: s.sourceName });
  exp.exclusions.forEach((x, i) => Object.assign(sourceAliases, { [`audience_${i + 1}`]: x.source.name, [`a${i + 1}`]: x.source.name }));
  if (new Set(exp.exclusions.map((x) => x.source.name)).size === 1) sourceAliases.f = exp.exclusions[0].source.name;
  for (const d of dimensions) if (d.attribute) Object.assign(sourceAliases, { [d.attribute.cte]: d.attribute.source, [d.attribute.alias]: d.attribute.source });
  return {
    experimentId: exp.id,
    asOf,
    bounds,
    steps,
    fingerprints,
    dataNeededUntil,
    sourceAliases,
    layout: { metrics: plan.layout, dimensions: dimensions.map(({ name, alias, groupingAlias }) => ({ name, alias, groupingAlias })), ...(rankTests.length ? { rankTests: rankTests.map((r) => ({ metric: r.metric, kind: 'mann_whitney' as const, column: r.column })) } : {}), ...(quantiles.layout.length ? { quantileMetrics: quantiles.layout } : {}), ...(pairMetrics.length ? { pairMetrics: pairMetrics.map((p) => p.metric) } : {}) },
  };
}

/** The template context every step renders from (the incremental plan in src/state adds to it). */
export function experimentContext(exp: ResolvedExperiment, asOfInput: string, dialect: Dialect) {
  const asOf = new Date(asOfInput).toISOString();
  if (asOf <= exp.start) {
    // Located at the spec's `start`, like every other input problem.
    const spec = new YamlFile(exp.specFile, exp.specText);
    throw new ValidationError([spec.diagnostic(['start'], `start ${exp.start} is not before the as-of time ${asOf}: the experiment has no data yet (pass a later --as-of)`)]);
  }
  const exposureEnd = exp.end === null ? asOf : minIso(exp.end, asOf);
  const bounds = { start: exp.start, exposureEnd, asOf };

  const dimensions = exp.dimensions.map((name, i) => {
    // An attribute table's column is joined on the unit (one value per unit); the others are exposure columns.
    const attr = exp.attributeDimensions?.find((a) => a.name === name);
    return {
      name,
      column: attr ? attr.column : name,
      alias: `dim_${i + 1}`,
      groupingAlias: `dim_${i + 1}_grouping`,
      topCte: `dim_${i + 1}_top`,
      topAlias: `t${i + 1}`,
      attribute: attr ? { source: attr.source.name, table: attr.source.table, unitColumn: attr.source.unitColumn, cte: `dim_${i + 1}_attribute`, alias: `ad${i + 1}` } : null,
    };
  });
  const plan = planMetrics(exp, bounds, (e, alias) => expressionSql(e, alias, dialect));

  const sourceList = new Map<string, ResolvedSource>();
  const components = exp.metrics.flatMap((m) => (m.denominator ? [m.numerator, m.denominator] : [m.numerator]));
  for (const s of [exp.exposure.source, ...components.map((c) => c.source), ...exp.exclusions.map((x) => x.source), ...(exp.attributeDimensions ?? []).map((d) => d.source)]) {
    if (!sourceList.has(s.name)) sourceList.set(s.name, s);
  }

  const fingerprints = fingerprintDefinitions(exp, bounds, plan.metricSources.map((s) => ({ source: s.sourceName, scanStart: s.scanStart, scanEnd: s.scanEnd })), dialect);

  // Rank tests read each metric's uncapped per-unit value: capping would only add ties at the cap.
  const rankTests = (exp.analysis.mannWhitney ?? []).map((name) => ({ metric: name, column: `m_${exp.metrics.findIndex((m) => m.name === name) + 1}_y` }));
  const pairMetrics = pairMetricContexts(exp, plan.metricSources);
  const quantiles = quantileStepContext(exp, plan);
  const context = {
    rankTests,
    ...quantiles.context,
    shiftBins: SHIFT_BINS,
    // Fixed SQL (no spec text): the numerator and denominator of the pooled-rank bin.
    shiftBinRank: new SqlFragment(`(low_rank - 1) * ${SHIFT_BINS}`),
    shiftBinUnits: new SqlFragment('pooled_units'),
    pairMetrics,
    control: exp.controlKey,
    treatments: exp.variants.filter((v) => !v.isControl).map((v) => v.key),
    fingerprintSources: fingerprintContext(fingerprints, sourceList, dialect),
    experiment: exp.id,
    asOf,
    bounds,
    exposure: {
      table: exp.exposure.source.table,
      unitColumn: exp.exposure.source.unitColumn,
      variantColumn: exp.exposure.source.variantColumn,
      timestamp: exp.exposure.source.timestamp,
      experimentKeyColumn: exp.exposure.source.experimentKeyColumn,
      experimentKey: exp.exposure.experimentKey,
    },
    variants: exp.variants.map((v) => ({ key: v.key })),
    exclusions: exp.exclusions.map((x, i) => ({
      name: x.name,
      mode: x.mode,
      include: x.mode === 'include',
      cte: `audience_${i + 1}`,
      alias: `a${i + 1}`,
      flag: audienceFlag(i),
      table: x.source.table,
      unitColumn: x.source.unitColumn,
      timestamp: x.source.timestamp,
      where: expressionSql(x.where, 'f', dialect),
    })),
    dimensions,
    noDimensions: [],
    dimensionValues: exp.analysis.dimensionValues,
    otherLabel: OTHER_DIMENSION_VALUE,
    metricSources: plan.metricSources,
    unitColumns: plan.columns,
    caps: plan.caps,
    aggregates: plan.aggregates,
    assignment: assignmentContext(exp),
    // Metric sources whose rows carry an experiment key: their rows tagged with this experiment are checked against first exposure.
    taggedSources: [...sourceList.values()]
      .filter((s) => s.name !== exp.exposure.source.name && s.experimentKeyColumn !== null)
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((s) => ({ name: s.name, table: s.table, unitColumn: s.unitColumn, timestamp: s.timestamp, experimentKeyColumn: s.experimentKeyColumn })),
    markedTraffic: (exp.markedTraffic ?? []).map((x) => ({
      name: x.name,
      table: x.source.table,
      unitColumn: x.source.unitColumn,
      timestamp: x.source.timestamp,
      where: expressionSql(x.where, 'f', dialect),
    })),
    // Attribute tables have no event time, so no latency to check.
    sources: [...sourceList.values()].filter((s) => s.timestamp !== null).sort((a, b) => a.name.localeCompare(b.name)).map((s) => ({ name: s.name, table: s.table, timestamp: s.timestamp, loadedAt: s.loadedAt })),
  };

  return { asOf, bounds, exposureEnd, context, plan, fingerprints, dimensions, rankTests, quantiles, pairMetrics };
}

/**
 * Per paired metric over a source with pair_key: the scan it shares with the metrics step (same table,
 * window and value), and the pair id column the pairs step joins the arms on.
 */
function pairMetricContexts(exp: ResolvedExperiment, scans: SourceScan[]) {
  return exp.metrics.flatMap((m, i) => {
    const pairKey = m.numerator.source.pairKey;
    if (m.kind !== 'paired' || !pairKey) return [];
    const column = `m_${i + 1}_y`;
    const scan = scans.find((s) => s.metrics.some((u) => u.column === column))!;
    const unit = scan.metrics.find((u) => u.column === column)!;
    return [{ metric: m.name, cte: `pairs_${i + 1}`, alias: scan.alias, table: scan.table, unitColumn: scan.unitColumn, timestamp: scan.timestamp, scanStart: scan.scanStart, scanEnd: scan.scanEnd, pairKey, unit }];
  });
}
