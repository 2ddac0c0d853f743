import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ExprError, isBooleanExpression, parseExpression, referencedColumns, type Expr } from '../expr/index.js';
import { unknownName, type Diagnostic } from './diagnostics.js';
import { ModelsFileSchema, type FilterInput, type MetricInput, type SourceInput } from './schemas.js';
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
  return [...new Set([...Object.keys(s.columns), s.timestamp, ...Object.values(s.units), ...(s.loaded_at ? [s.loaded_at] : [])])];
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
    const source = raw.sources.get(m.value.source);
    if (!source) diagnostics.push(m.file.diagnostic([...m.path, 'source'], unknownName('source', m.value.source, sourceNames)));
    if (m.value.type === 'mean' && m.value.value === undefined) {
      diagnostics.push(m.file.diagnostic(m.path, "a mean metric needs a value expression (for example value: amount)"));
    }
    if (m.value.type !== 'mean' && m.value.value !== undefined) {
      diagnostics.push(m.file.diagnostic([...m.path, 'value'], `value is only used by mean metrics; a ${m.value.type} metric counts matching events`));
    }
    const valueExpr = m.value.value === undefined ? null : checkExpression(m.file, [...m.path, 'value'], m.value.value, source?.value, m.value.source, false, diagnostics);
    const filterExpr = m.value.filter === undefined ? null : checkExpression(m.file, [...m.path, 'filter'], m.value.filter, source?.value, m.value.source, true, diagnostics);
    models.metrics.set(m.name, { ...m, valueExpr, filterExpr });
  }

  for (const f of raw.filters.values()) {
    const source = raw.sources.get(f.value.source);
    if (!source) diagnostics.push(f.file.diagnostic([...f.path, 'source'], unknownName('source', f.value.source, sourceNames)));
    const whereExpr = checkExpression(f.file, [...f.path, 'where'], f.value.where, source?.value, f.value.source, true, diagnostics);
    if (whereExpr) models.filters.set(f.name, { ...f, whereExpr });
  }
  return { models, diagnostics };
}
