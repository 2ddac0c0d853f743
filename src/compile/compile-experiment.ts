import { renderExpression, type Expr } from '../expr/index.js';
import type { ResolvedExperiment, ResolvedSource } from '../spec/types.js';
import { qualifiedColumn, type Dialect } from '../warehouse/types.js';
import { fingerprintContext, fingerprintDefinitions, type FingerprintDefinition } from '../audit/fingerprint-sources.js';
import { STEPS, type StepName } from './artifacts.js';
import { SqlFragment } from './sql-fragment.js';
import type { SqlRenderer } from './sql-templates.js';

export interface CompiledStep {
  name: StepName;
  file: string;
  sql: string;
}

/** How to read the metrics step's wide rows back into metrics and dimensions. */
export interface ResultLayout {
  metrics: { name: string; sumAlias: string; sumSquaresAlias: string }[];
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

const minIso = (a: string, b: string) => (a < b ? a : b);
const addSeconds = (iso: string, s: number) => new Date(Date.parse(iso) + s * 1000).toISOString();

function expressionSql(e: Expr, alias: string, dialect: Dialect): SqlFragment {
  return new SqlFragment(
    renderExpression(e, {
      column: (name) => qualifiedColumn(dialect, alias, name),
      stringLiteral: dialect.stringLiteral,
      numberLiteral: dialect.numberLiteral,
      booleanLiteral: dialect.booleanLiteral,
    }),
  );
}

/**
 * Builds the template context and renders every step. Pure: the same experiment, as-of,
 * templates and dialect give the same bytes, and nothing here touches a warehouse.
 */
export function compileExperiment(exp: ResolvedExperiment, asOfInput: string, dialect: Dialect, renderer: SqlRenderer): CompiledExperiment {
  const asOf = new Date(asOfInput).toISOString();
  if (asOf <= exp.start) throw new CompileError(`${exp.id}: as-of ${asOf} is not after the experiment start ${exp.start}`);
  const exposureEnd = exp.end === null ? asOf : minIso(exp.end, asOf);
  const bounds = { start: exp.start, exposureEnd, asOf };

  const dimensions = exp.dimensions.map((name, i) => ({ name, column: name, alias: `dim_${i + 1}`, groupingAlias: `dim_${i + 1}_grouping` }));

  // One pass per source: all metrics reading the same table share one scan.
  const bySource = new Map<string, { source: ResolvedSource; metrics: (typeof exp.metrics)[number][] }>();
  for (const m of exp.metrics) {
    const entry = bySource.get(m.source.name) ?? { source: m.source, metrics: [] };
    entry.metrics.push(m);
    bySource.set(m.source.name, entry);
  }
  let metricIndex = 0;
  const layoutMetrics: ResultLayout['metrics'] = [];
  const metricSources = [...bySource.values()].map(({ source, metrics }, i) => {
    const alias = `s${i + 1}`;
    // The scan ends where the last window can end, never after as-of: a warehouse can prune partitions.
    const open = metrics.some((m) => m.windowDurationSeconds === null);
    const longest = Math.max(...metrics.map((m) => m.windowDelaySeconds + (m.windowDurationSeconds ?? 0)));
    const scanEnd = open ? asOf : minIso(addSeconds(exposureEnd, longest), asOf);
    return {
      cte: `source_${i + 1}_units`,
      alias,
      table: source.table,
      unitColumn: source.unitColumn,
      timestamp: source.timestamp,
      scanEnd,
      metrics: metrics.map((m) => {
        metricIndex += 1;
        const column = `m_${metricIndex}`;
        layoutMetrics.push({ name: m.name, sumAlias: `${column}_sum`, sumSquaresAlias: `${column}_sum_squares` });
        return {
          name: m.name,
          kind: m.kind,
          column,
          sourceAlias: alias,
          sourceTimestamp: source.timestamp,
          delaySeconds: m.windowDelaySeconds,
          windowEndSeconds: m.windowDurationSeconds === null ? null : m.windowDelaySeconds + m.windowDurationSeconds,
          filter: m.filter ? expressionSql(m.filter, alias, dialect) : null,
          value: m.value ? expressionSql(m.value, alias, dialect) : null,
        };
      }),
    };
  });

  const sourceList = new Map<string, ResolvedSource>();
  for (const s of [exp.exposure.source, ...exp.metrics.map((m) => m.source), ...exp.exclusions.map((x) => x.source)]) {
    if (!sourceList.has(s.name)) sourceList.set(s.name, s);
  }

  const fingerprints = fingerprintDefinitions(exp, bounds, [...bySource.keys()].map((source, i) => ({ source, scanEnd: metricSources[i].scanEnd })), dialect);

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
    metricSources,
    metrics: metricSources.flatMap((s) => s.metrics).map((m) => ({ column: m.column, sumAlias: `${m.column}_sum`, sumSquaresAlias: `${m.column}_sum_squares` })),
    sources: [...sourceList.values()].sort((a, b) => a.name.localeCompare(b.name)).map((s) => ({ name: s.name, table: s.table, timestamp: s.timestamp, loadedAt: s.loadedAt })),
  };

  const steps = STEPS.map((s) => ({ name: s.name, file: s.file, sql: tidy(renderer.render(s.template, context)) }));
  return {
    experimentId: exp.id,
    asOf,
    bounds,
    steps,
    fingerprints,
    layout: { metrics: layoutMetrics, dimensions: dimensions.map(({ name, alias, groupingAlias }) => ({ name, alias, groupingAlias })) },
  };
}

/** Drops blank lines and trailing spaces that block helpers leave, so the SQL reads cleanly. */
function tidy(sql: string): string {
  return `${sql.split('\n').map((l) => l.trimEnd()).filter((l) => l.length > 0).join('\n')}\n`;
}
