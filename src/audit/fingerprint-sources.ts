import { expressionSql } from '../compile/expression-sql.js';
import { SqlFragment } from '../compile/sql-fragment.js';
import type { ResolvedExperiment, ResolvedSource } from '../spec/types.js';
import { canonicalJson, sha256 } from '../util/digest.js';
import { qualifiedColumn, type Dialect } from '../warehouse/types.js';

/**
 * One way the experiment reads a source. The rows of a source that a fingerprint covers are the
 * union (OR) of its reads: the exposure read (experiment key, exposure window), each metric scan
 * (the metric scan window as compiled) and each audience filter (its `where`, exposure window).
 */
export interface SourceRead {
  kind: 'exposure' | 'metrics' | 'filter';
  /** Filter name, for kind 'filter'. */
  name: string | null;
  experimentKey: string | null;
  /** The filter's `where` as compiled for this warehouse. */
  where: string | null;
  start: string;
  end: string;
}

/** What a fingerprint covers, recorded in the manifest so two runs can tell whether they compare. */
export interface FingerprintDefinition {
  source: string;
  table: string;
  timestamp: string;
  /** Columns hashed per row, in this order (declared model columns; see rowColumns). */
  columns: string[];
  reads: SourceRead[];
  /** The row hash used (warehouse function and version): different ids are not comparable. */
  rowHash: string;
  /** SHA-256 of everything above except the read bounds: equal shapes cover the same rows per day. */
  shape: string;
}

/**
 * The columns hashed per row: the source's unit id, event time, load time, experiment key and variant
 * columns, then its declared `columns` sorted by name (so reordering the YAML map changes nothing).
 * Columns the model does not declare are not covered.
 */
export function rowColumns(s: ResolvedSource): string[] {
  const fixed = [s.unitColumn, s.timestamp, s.loadedAt, s.experimentKeyColumn, s.variantColumn].filter((c): c is string => c !== null);
  return [...new Set([...fixed, ...Object.keys(s.columns).sort()])];
}

export function fingerprintDefinitions(
  exp: ResolvedExperiment,
  bounds: { start: string; exposureEnd: string },
  metricScans: { source: string; scanStart: string; scanEnd: string }[],
  dialect: Dialect,
): FingerprintDefinition[] {
  const bySource = new Map<string, { source: ResolvedSource; reads: SourceRead[] }>();
  const add = (source: ResolvedSource, read: SourceRead) => {
    const e = bySource.get(source.name) ?? { source, reads: [] };
    e.reads.push(read);
    bySource.set(source.name, e);
  };
  const base = { name: null, experimentKey: null, where: null, start: bounds.start };
  add(exp.exposure.source, { ...base, kind: 'exposure', experimentKey: exp.exposure.experimentKey, end: bounds.exposureEnd });
  const components = exp.metrics.flatMap((m) => (m.denominator ? [m.numerator, m.denominator] : [m.numerator]));
  const sources = new Map(components.map((c) => [c.source.name, c.source] as const));
  // A metric scan starts a CUPED lookback before the experiment when it reads pre-exposure values.
  for (const scan of metricScans) add(sources.get(scan.source)!, { ...base, kind: 'metrics', start: scan.scanStart, end: scan.scanEnd });
  for (const x of exp.exclusions) {
    // An attribute table has no event time to bound or date its rows by: not fingerprinted.
    if (x.source.timestamp === null) continue;
    const where = expressionSql(x.where, 's', dialect).sql;
    add(x.source, { ...base, kind: 'filter', name: x.name, where, end: bounds.exposureEnd });
  }
  return [...bySource.values()]
    .sort((a, b) => a.source.name.localeCompare(b.source.name))
    .map(({ source, reads }) => {
      const columns = rowColumns(source);
      const rowHash = dialect.rowHashId;
      const shape = sha256(canonicalJson({ table: source.table, timestamp: source.timestamp, columns, reads: reads.map(({ start: _s, end: _e, ...r }) => r), rowHash }));
      return { source: source.name, table: source.table, timestamp: source.timestamp!, columns, reads, rowHash, shape };
    });
}

/** The fingerprints step's template context. */
export function fingerprintContext(defs: FingerprintDefinition[], sources: Map<string, ResolvedSource>, dialect: Dialect) {
  return defs.map((d, i) => ({
    name: d.source,
    cte: `fp_rows_${i + 1}`,
    table: d.table,
    timestamp: d.timestamp,
    columns: d.columns.map((c) => new SqlFragment(qualifiedColumn(dialect, 's', c))),
    reads: d.reads.map((r) => ({
      experimentKeyColumn: r.experimentKey === null ? null : sources.get(d.source)!.experimentKeyColumn,
      experimentKey: r.experimentKey,
      where: r.where === null ? null : new SqlFragment(r.where),
      start: r.start,
      end: r.end,
    })),
  }));
}
