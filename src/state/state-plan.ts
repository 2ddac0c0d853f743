import { experimentContext } from '../compile/compile-experiment.js';
import { tidySql } from '../compile/expression-sql.js';
import type { SqlRenderer } from '../compile/sql-templates.js';
import type { ResolvedExperiment } from '../spec/types.js';
import { sha256 } from '../util/digest.js';
import { addSeconds, minIso } from '../util/instants.js';
import type { Dialect } from '../warehouse/types.js';

/**
 * The incremental plan: the same template context as a full refresh (experimentContext, the same
 * metric plan), plus where the state lives and which rows this run reads. Pure, like compile: the
 * stored watermark is an input, read by src/state/refresh-state.ts before this is called.
 */

export interface StateLocation {
  /** Dotted prefix of state tables in SQL (the warehouse's stateSchemaRef of write_schema). */
  schemaRef: string;
}

export interface StateRead {
  name: 'exposures' | 'metrics' | 'sources' | 'daily' | 'exposure_quality' | 'quantiles' | 'ranks' | 'shift_bins' | 'assignment';
  sql: string;
}

export interface StatePlan {
  mode: 'rebuild' | 'incremental';
  /** Rows at or after this instant are read (before it only for units new to the state's pre-exposure windows). */
  watermark: string;
  /** The new watermark: rows before it are stored, rows after it count only in this run. */
  cut: string;
  stage: string[];
  reads: StateRead[];
  write: string[];
  /** Where DDL cannot join a transaction: the statements that open it (take the meta row, read its run id). */
  claim: string[];
  /** Where DDL cannot join a transaction: a rebuild's first statement, dropping the meta row before the tables are replaced. */
  forget: string[];
}

const maxIso = (a: string, b: string) => (a > b ? a : b);

export function stateTables(exp: ResolvedExperiment, loc: StateLocation) {
  const t = (name: string) => `${loc.schemaRef}.${name}`;
  return {
    schema: loc.schemaRef,
    meta: t('exptrack_state'),
    units: t(`exptrack_${exp.id}_units`),
    excluded: t(`exptrack_${exp.id}_excluded`),
    sources: t(`exptrack_${exp.id}_sources`),
    quality: t(`exptrack_${exp.id}_quality`),
    // Session-scoped tables, dropped at the end of each refresh.
    delta: 'exptrack_delta',
    excludedNew: 'exptrack_excluded_new',
    sourcesNew: 'exptrack_sources_new',
    sourcesSealed: 'exptrack_sources_sealed',
    qualityNew: 'exptrack_quality_new',
    groups: 'exptrack_groups',
  };
}

/** Splits a rendered multi-statement template; every statement keeps the template's header comment. */
export function splitStatements(sql: string): string[] {
  const lines = tidySql(sql).split('\n');
  const header: string[] = [];
  while (lines.length && lines[0].startsWith('--')) header.push(lines.shift()!);
  return lines
    .join('\n')
    .split(/;\n/)
    .map((s) => s.replace(/;?\s*$/, '').trim())
    .filter((s) => s.length > 0 && !/^(--[^\n]*\n?)*$/.test(s))
    .map((s) => `${[...header, s].join('\n')}\n`);
}

/** A 48-bit number naming this experiment's state for an advisory lock. */
export function stateLockKey(exp: ResolvedExperiment, loc: StateLocation): number {
  return Number.parseInt(sha256(`${loc.schemaRef}\n${exp.id}`).slice(0, 12), 16);
}

/**
 * Whether the exposure_quality step can come from state: its exposure-row counts add up across
 * refreshes and its marked units are a growing set, but events tagged before first exposure depend on
 * a first exposure that late rows can still move, so specs with tagged sources (or marked traffic on an
 * attribute table) compute that step whole (stepsOutsideState names it).
 */
export function qualityFromState(context: { taggedSources: unknown[]; markedTraffic: { timestamp: string | null }[] }): boolean {
  return context.taggedSources.length === 0 && context.markedTraffic.every((x) => x.timestamp !== null);
}

/**
 * The steps read from the state's per-unit values (stored units plus this run's delta) rather than the
 * source: the assignment audit (units and variants only), the rank tests' ranks and shift bins, and
 * unit-level quantiles. Event-level quantiles order every matching event, which the state does not keep,
 * so a spec with any leaves the quantiles step to the full path (stepsOutsideState names it).
 */
export function unitValueReads(context: { rankTests: unknown[]; unitQuantiles: unknown[]; eventQuantiles: unknown[]; assignment: unknown }): ('assignment' | 'quantiles' | 'ranks' | 'shift_bins')[] {
  return [...(context.assignment ? (['assignment'] as const) : []), ...(context.rankTests.length ? (['ranks', 'shift_bins'] as const) : []), ...(context.unitQuantiles.length && !context.eventQuantiles.length ? (['quantiles'] as const) : [])];
}

function baseContext(exp: ResolvedExperiment, asOf: string, dialect: Dialect, loc: StateLocation) {
  const base = experimentContext(exp, asOf, dialect);
  return { ...base, tables: stateTables(exp, loc) };
}

/** The statements that create the shared meta table, take the lock, and read this experiment's row. */
export function compileStateSetup(exp: ResolvedExperiment, asOf: string, dialect: Dialect, renderer: SqlRenderer, loc: StateLocation): string[] {
  const { context, tables } = baseContext(exp, asOf, dialect, loc);
  return splitStatements(renderer.render('state_setup', { ...context, state: { ...tables }, lockKey: stateLockKey(exp, loc) }));
}

export function compileStateRefresh(opts: {
  exp: ResolvedExperiment;
  asOf: string;
  dialect: Dialect;
  renderer: SqlRenderer;
  loc: StateLocation;
  /** The stored watermark; null rebuilds the state from the experiment's first row. */
  storedWatermark: string | null;
  lateLookbackSeconds: number;
  fingerprint: string;
  runId: string;
  toolVersion: string;
}): StatePlan {
  const { exp, dialect, renderer, loc } = opts;
  const { context, plan, bounds, dimensions, tables } = baseContext(exp, opts.asOf, dialect, loc);
  const hasState = opts.storedWatermark !== null;
  const earliest = plan.metricSources.reduce((a, s) => minIso(a, s.scanStart), bounds.start);
  const watermark = opts.storedWatermark ?? earliest;
  const cut = maxIso(watermark, minIso(addSeconds(bounds.asOf, -opts.lateLookbackSeconds), bounds.asOf));
  const preSeconds = exp.analysis.cupedLookbackSeconds ?? 0;
  const hasPre = plan.metricSources.some((s) => s.metrics.some((m) => m.isPre));
  // Units new to the state need their pre-exposure window, which lies before the watermark; none
  // can be new once the watermark has passed the end of exposures.
  const readsBeforeWatermark = hasState && hasPre && watermark < bounds.exposureEnd;
  const metricSources = plan.metricSources.map((s, i) => ({
    ...s,
    segCte: `source_${i + 1}_cut`,
    pivotCte: `source_${i + 1}_parts`,
    readsBeforeWatermark,
    readStart: maxIso(s.scanStart, readsBeforeWatermark ? addSeconds(watermark, -preSeconds) : watermark),
    metrics: s.metrics.map((m) => ({ ...m, sealedColumn: `s_${m.column}`, beforeCut: `${m.column}_c1`, afterCut: `${m.column}_c2` })),
  }));
  const stateDimensions = dimensions.map((d) => ({ ...d, atAlias: `${d.alias}_at`, sealedAlias: `s_${d.alias}`, sealedAtAlias: `s_${d.alias}_at` }));
  // The state stores the dimensions read from exposure rows; attribute-table dimensions are joined at read
  // time (the state_current_units partial), so the stage and write see only the stored ones.
  const storedDimensions = stateDimensions.filter((d) => !d.attribute);
  const attributeDimensions = stateDimensions.filter((d) => d.attribute);
  const stateColumns = metricSources.flatMap((s) => s.metrics.map((m) => ({ column: m.column, kind: m.kind })));
  // The groups step reads the metric columns straight off each unit's row (alias e of metric_values),
  // not through one projection of the units per metric source joined back on unit_id.
  const unitRowColumns = context.unitColumns.map((c) => ({ ...c, source: 'e' }));
  // Audience filters, then the marked-traffic filters of the exposure_quality step, get a number in the
  // state's excluded table (the units each matched); attribute tables (no event time) are read whole each run.
  const exclusions = context.exclusions.map((x, i) => ({ ...x, filterNo: i + 1 }));
  const markedTraffic = context.markedTraffic.map((x, i) => ({ ...x, filterNo: exclusions.length + i + 1 }));
  const quality = qualityFromState(context);
  const ctx = {
    ...context,
    exclusions,
    markedTraffic,
    timedExclusions: [...exclusions.filter((x) => x.timestamp !== null), ...(quality ? markedTraffic : [])],
    stateColumns,
    unitRowColumns,
    noSources: [],
    withValues: false,
    dimensions: stateDimensions,
    storedDimensions,
    attributeDimensions,
    metricSources,
    state: {
      ...tables,
      hasState,
      watermark,
      cut,
      exposureReadStart: maxIso(bounds.start, watermark),
      sourceReadStart: maxIso(bounds.start, watermark),
      fingerprint: opts.fingerprint,
      runId: opts.runId,
      toolVersion: opts.toolVersion,
    },
  };
  const stored = { ...ctx, dimensions: storedDimensions };
  return {
    mode: hasState ? 'incremental' : 'rebuild',
    watermark,
    cut,
    stage: [...splitStatements(renderer.render('state_stage', stored)), ...splitStatements(renderer.render('state_groups', ctx))],
    reads: [
      ...(['exposures', 'metrics', 'sources'] as const).map((name) => ({ name, sql: tidySql(renderer.render(`state_${name}`, ctx)) })),
      { name: 'daily' as const, sql: tidySql(renderer.render('state_daily', ctx)) },
      ...(quality ? [{ name: 'exposure_quality' as const, sql: tidySql(renderer.render('state_exposure_quality', { ...ctx, dimensions: [], storedDimensions: [], attributeDimensions: [] })) }] : []),
      // These steps read uncapped per-unit values and no dimension, so neither caps nor dimensions are computed.
      ...unitValueReads(context).map((name) => ({ name, sql: tidySql(renderer.render(`state_${name}`, { ...ctx, caps: [], dimensions: [], storedDimensions: [], attributeDimensions: [] })) })),
    ],
    write: splitStatements(renderer.render('state_write', stored)),
    claim: splitStatements(renderer.render('state_claim', stored)),
    forget: splitStatements(renderer.render('state_forget', stored)),
  };
}

export type StatementKind = 'ddl' | 'dml' | 'query';

/** What a compiled state statement does, by its first keyword after the header comments. */
export function statementKind(sql: string): StatementKind {
  const word = /^\s*([A-Za-z]+)/.exec(sql.replace(/^(\s*--[^\n]*\n)*/, ''))?.[1]?.toUpperCase() ?? '';
  if (['CREATE', 'DROP', 'ALTER'].includes(word)) return 'ddl';
  if (['INSERT', 'UPDATE', 'DELETE', 'MERGE', 'TRUNCATE'].includes(word)) return 'dml';
  return 'query';
}

/**
 * The write statements in the order a warehouse whose DDL cannot join a transaction runs them: every
 * DDL statement before the last DML one moves before BEGIN (in order: the state write's DDL builds
 * temporary tables and, on a rebuild, the new state tables, from what the stage read, never from an
 * earlier statement of the write), the DML runs inside the transaction, and what follows the last DML
 * (dropping the session's temporary tables) is left to the end of the session.
 */
export function sessionWrite(write: string[]): { before: string[]; inside: string[]; after: string[] } {
  const kinds = write.map(statementKind);
  const last = kinds.lastIndexOf('dml');
  return {
    before: write.filter((_, i) => i < last && kinds[i] === 'ddl'),
    inside: write.filter((_, i) => i <= last && kinds[i] !== 'ddl'),
    after: write.slice(last + 1),
  };
}
