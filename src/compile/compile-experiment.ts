import type { ResolvedExperiment, ResolvedSource } from '../spec/types.js';
import { minIso } from '../util/instants.js';
import type { Dialect } from '../warehouse/types.js';
import { fingerprintContext, fingerprintDefinitions, type FingerprintDefinition } from '../audit/fingerprint-sources.js';
import { STEPS, type StepName } from './artifacts.js';
import { planMetrics, type MetricLayout } from './metric-plan.js';
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
}

export interface CompiledExperiment {
  experimentId: string;
  asOf: string;
  bounds: { start: string; exposureEnd: string; asOf: string };
  steps: CompiledStep[];
  layout: ResultLayout;
  /** What the fingerprints step covers per source (recorded in the package manifest). */
  fingerprints: FingerprintDefinition[];
}

export class CompileError extends Error {}


/**
 * Builds the template context and renders every step. Pure: the same experiment, as-of,
 * templates and dialect give the same bytes, and nothing here touches a warehouse.
 */
export function compileExperiment(exp: ResolvedExperiment, asOfInput: string, dialect: Dialect, renderer: SqlRenderer): CompiledExperiment {
  const { asOf, bounds, context, plan, fingerprints, dimensions } = experimentContext(exp, asOfInput, dialect);
  const steps = STEPS.map((s) => ({ name: s.name, file: s.file, sql: tidySql(renderer.render(s.template, context)) }));
  return {
    experimentId: exp.id,
    asOf,
    bounds,
    steps,
    fingerprints,
    layout: { metrics: plan.layout, dimensions: dimensions.map(({ name, alias, groupingAlias }) => ({ name, alias, groupingAlias })) },
  };
}

/** The template context every step renders from (the incremental plan in src/state adds to it). */
export function experimentContext(exp: ResolvedExperiment, asOfInput: string, dialect: Dialect) {
  const asOf = new Date(asOfInput).toISOString();
  if (asOf <= exp.start) throw new CompileError(`${exp.id}: as-of ${asOf} is not after the experiment start ${exp.start}`);
  const exposureEnd = exp.end === null ? asOf : minIso(exp.end, asOf);
  const bounds = { start: exp.start, exposureEnd, asOf };

  const dimensions = exp.dimensions.map((name, i) => ({
    name,
    column: name,
    alias: `dim_${i + 1}`,
    groupingAlias: `dim_${i + 1}_grouping`,
    topCte: `dim_${i + 1}_top`,
    topAlias: `t${i + 1}`,
  }));
  const plan = planMetrics(exp, bounds, (e, alias) => expressionSql(e, alias, dialect));

  const sourceList = new Map<string, ResolvedSource>();
  const components = exp.metrics.flatMap((m) => (m.denominator ? [m.numerator, m.denominator] : [m.numerator]));
  for (const s of [exp.exposure.source, ...components.map((c) => c.source), ...exp.exclusions.map((x) => x.source)]) {
    if (!sourceList.has(s.name)) sourceList.set(s.name, s);
  }

  const fingerprints = fingerprintDefinitions(exp, bounds, plan.metricSources.map((s) => ({ source: s.sourceName, scanStart: s.scanStart, scanEnd: s.scanEnd })), dialect);

  const context = {
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
    exclusions: exp.exclusions.map((x) => ({
      name: x.name,
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
    sources: [...sourceList.values()].sort((a, b) => a.name.localeCompare(b.name)).map((s) => ({ name: s.name, table: s.table, timestamp: s.timestamp, loadedAt: s.loadedAt })),
  };

  return { asOf, bounds, context, plan, fingerprints, dimensions };
}
