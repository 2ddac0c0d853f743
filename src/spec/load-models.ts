import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ExprError, isBooleanExpression, parseExpression, referencedColumns, type Expr } from '../expr/index.js';
import { unknownName, type Diagnostic } from './diagnostics.js';
import { ModelsFileSchema, type FilterInput, type MetricInput, type SourceInput } from './schemas.js';
import { quantileFieldDiagnostics } from './quantile-metric.js';
import { YamlFile } from './yaml-file.js';
import { zodDiagnostics } from './zod-diagnostics.js';

type Path = (string | number)[];
export interface Located<T> {
  name: string;
  value: T;
  file: YamlFile;
  path: Path;
}

export interface LoadedMetric extends Located<MetricInput> {
  valueExpr: Expr | null;
  baselineExpr: Expr | null;
  filterExpr: Expr | null;
}
export interface LoadedFilter extends Located<FilterInput> {
  whereExpr: Expr;
}

export interface Models {
  files: YamlFile[];
  sources: Map<string, Located<SourceInput>>;
  metrics: Map<string, LoadedMetric>;
  filters: Map<string, LoadedFilter>;
}

export function yamlFilesIn(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.filter((n) => /\.ya?ml$/.test(n)).sort().map((n) => join(dir, n));
}

/** Columns an expression over a source may use: declared columns plus its key columns. */
export function sourceColumns(s: SourceInput): string[] {
  return [...new Set([...Object.keys(s.columns), ...(s.timestamp ? [s.timestamp] : []), ...Object.values(s.units), ...(s.loaded_at ? [s.loaded_at] : []), ...(s.pair_key ? [s.pair_key] : [])])];
}

/** Parses an expression field and checks that it only names the source's columns. */
export function checkExpression(
  file: YamlFile,
  path: Path,
  text: string,
  source: SourceInput | undefined,
  sourceName: string,
  wantBoolean: boolean,
  out: Diagnostic[],
): Expr | null {
  let expr: Expr;
  try {
    expr = parseExpression(text);
  } catch (e) {
    if (e instanceof ExprError) {
      out.push(file.diagnosticAt(path, e.offset, `invalid expression: ${e.message}`));
      return null;
    }
    throw e;
  }
  if (wantBoolean && !isBooleanExpression(expr)) {
    out.push(file.diagnostic(path, `expected a condition (true or false), such as event_name = 'purchase'`));
  }
  if (source) {
    const known = sourceColumns(source);
    for (const col of referencedColumns(expr)) {
      if (!known.includes(col.name)) {
        out.push(file.diagnosticAt(path, col.offset, unknownName('column', col.name, known, `in source '${sourceName}'`)));
      }
    }
  }
  return expr;
}

export function loadModels(dir: string, root: string): { models: Models; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const models: Models = { files: [], sources: new Map(), metrics: new Map(), filters: new Map() };
  const raw = { sources: new Map<string, Located<SourceInput>>(), metrics: new Map<string, Located<MetricInput>>(), filters: new Map<string, Located<FilterInput>>() };

  for (const path of yamlFilesIn(dir)) {
    const file = YamlFile.read(path, root);
    models.files.push(file);
    if (file.parseErrors.length) {
      diagnostics.push(...file.parseErrors);
      continue;
    }
    const parsed = ModelsFileSchema.safeParse(file.data ?? {});
    if (!parsed.success) {
      diagnostics.push(...zodDiagnostics(file, parsed.error.issues, file.data));
      continue;
    }
    for (const kind of ['sources', 'metrics', 'filters'] as const) {
      for (const [name, value] of Object.entries(parsed.data[kind] ?? {})) {
        const previous = raw[kind].get(name);
        if (previous) {
          const at = previous.file.position(previous.path, true);
          diagnostics.push(file.diagnostic([kind, name], `duplicate ${kind.slice(0, -1)} '${name}' (first defined at ${previous.file.file}:${at.line}:${at.column})`, { key: true }));
          continue;
        }
        (raw[kind] as Map<string, Located<unknown>>).set(name, { name, value, file, path: [kind, name] });
      }
    }
  }

  // Cross-references are checked only when every file has the right shape: otherwise a definition
  // dropped from a broken file would come back as a misleading "unknown source" elsewhere.
  if (diagnostics.length) return { models, diagnostics };

  for (const src of raw.sources.values()) {
    const s = src.value;
    const known = sourceColumns(s);
    s.dimensions.forEach((d, i) => {
      if (!known.includes(d)) diagnostics.push(src.file.diagnostic([...src.path, 'dimensions', i], `${unknownName('column', d, known)}; dimensions must be listed under columns`));
    });
    if ((s.experiment_key === undefined) !== (s.variant === undefined)) {
      diagnostics.push(src.file.diagnostic(src.path, 'an exposure source needs both experiment_key and variant columns'));
    }
    models.sources.set(src.name, src);
  }

  const sourceNames = [...raw.sources.keys()];
  for (const m of raw.metrics.values()) {
    const t = m.value.type;
    const at = (field: string) => [...m.path, field];
    const notFor = (field: keyof MetricInput, why: string) => {
      if (m.value[field] !== undefined) diagnostics.push(m.file.diagnostic(at(field), why));
    };
    let source: Located<SourceInput> | undefined;
    if (t === 'ratio') {
      for (const f of ['source', 'value', 'baseline', 'filter', 'window', 'capping', 'quantile', 'level', 'ignore_zeros'] as const) {
        notFor(f, `a ratio metric takes ${f} from its numerator and denominator metrics; set it there`);
      }
      for (const part of ['numerator', 'denominator'] as const) {
        const name = m.value[part];
        if (name === undefined) {
          diagnostics.push(m.file.diagnostic(m.path, `a ratio metric needs a ${part} (the name of a proportion, mean or count metric)`));
          continue;
        }
        const target = raw.metrics.get(name);
        if (!target) diagnostics.push(m.file.diagnostic(at(part), unknownName('metric', name, [...raw.metrics.keys()])));
        else if (target.value.type === 'ratio' || target.value.type === 'paired' || target.value.type === 'quantile') {
          diagnostics.push(m.file.diagnostic(at(part), `${part} '${name}' is a ${target.value.type} metric; use a proportion, mean or count metric`));
        }
      }
    } else {
      notFor('numerator', 'numerator is only used by ratio metrics');
      notFor('denominator', 'denominator is only used by ratio metrics');
      if (m.value.source === undefined) diagnostics.push(m.file.diagnostic(m.path, `a ${t} metric needs a source`));
      else {
        source = raw.sources.get(m.value.source);
        if (!source) diagnostics.push(m.file.diagnostic(at('source'), unknownName('source', m.value.source, sourceNames)));
      }
      if ((t === 'mean' || t === 'paired' || t === 'quantile') && m.value.value === undefined) {
        diagnostics.push(m.file.diagnostic(m.path, `a ${t} metric needs a value expression (for example value: amount)`));
      }
      if ((t === 'proportion' || t === 'count') && m.value.value !== undefined) {
        diagnostics.push(m.file.diagnostic(at('value'), `value is only used by mean, paired and quantile metrics; a ${t} metric counts matching events`));
      }
      // A source with pair_key pairs rows across arms by that id: the control arm's value is the baseline.
      const pairKeyed = source?.value.pair_key !== undefined;
      if (t === 'paired' && !pairKeyed && m.value.baseline === undefined) {
        diagnostics.push(m.file.diagnostic(m.path, 'a paired metric needs a baseline expression (the control outcome of the same unit), or a source with pair_key'));
      }
      if (t === 'paired' && pairKeyed && m.value.baseline !== undefined) {
        diagnostics.push(m.file.diagnostic(at('baseline'), `source '${m.value.source}' has pair_key: each variant's value is paired with control's value of the same ${source!.value.pair_key}, so baseline is not used`));
      }
      if (t !== 'paired') notFor('baseline', 'baseline is only used by paired metrics');
      if (t === 'proportion' || t === 'paired' || t === 'quantile') notFor('capping', `capping does not apply to a ${t} metric`);
      quantileFieldDiagnostics(m, at, diagnostics);
      const cap = m.value.capping;
      if (cap && (cap.percentile === undefined) === (cap.value === undefined)) {
        diagnostics.push(m.file.diagnostic(at('capping'), 'capping needs exactly one of percentile (for example 0.99) or value'));
      }
    }
    const sourceName = m.value.source ?? '';
    const expr = (field: 'value' | 'baseline' | 'filter', boolean: boolean) =>
      m.value[field] === undefined ? null : checkExpression(m.file, at(field), m.value[field], source?.value, sourceName, boolean, diagnostics);
    models.metrics.set(m.name, { ...m, valueExpr: expr('value', false), baselineExpr: expr('baseline', false), filterExpr: expr('filter', true) });
  }

  for (const f of raw.filters.values()) {
    const source = raw.sources.get(f.value.source);
    if (!source) diagnostics.push(f.file.diagnostic([...f.path, 'source'], unknownName('source', f.value.source, sourceNames)));
    const whereExpr = checkExpression(f.file, [...f.path, 'where'], f.value.where, source?.value, f.value.source, true, diagnostics);
    if (whereExpr) models.filters.set(f.name, { ...f, whereExpr });
  }
  return { models, diagnostics };
}
