import { closest, distance } from 'fastest-levenshtein';
import type { Diagnostic } from '../spec/diagnostics.js';
import type { Located, Models } from '../spec/load-models.js';
import type { SourceInput } from '../spec/schemas.js';
import { compatible, findColumn, type Catalogue } from './catalogue.js';

/** " did you mean 'x'?" when one known name is plausibly a typo of `name`; otherwise a short list. */
function suggestion(name: string, known: string[]): string {
  if (known.length === 0) return ' (there are none)';
  const best = closest(name, known);
  if (distance(name.toLowerCase(), best.toLowerCase()) <= Math.max(2, Math.ceil(name.length / 3))) return `; did you mean '${best}'?`;
  const list = [...known].sort();
  return ` (it has: ${list.slice(0, 12).join(', ')}${list.length > 12 ? `, … ${list.length - 12} more` : ''})`;
}

const ARTICLE: Record<string, string> = { timestamp: 'a timestamp', number: 'a number', string: 'a string', boolean: 'a boolean' };

/**
 * Checks one source of the models against the warehouse's catalogue: its table exists, and every
 * column it declares exists with a type its use needs. Each problem points at the model field.
 */
export function checkSource(src: Located<SourceInput>, catalogue: Catalogue): Diagnostic[] {
  const s = src.value;
  const out: Diagnostic[] = [];
  const at = (path: (string | number)[], message: string) => out.push(src.file.diagnostic([...src.path, ...path], message));
  const table = catalogue.find(s.table);
  if (!table) {
    const tableNames = catalogue.tableNames();
    // Suggest on the bare name as well, so `exposure` finds `main.exposures`.
    const bare = s.table.split('.').pop()!;
    const near = closest(bare, catalogue.tables.map((t) => t.name));
    const hint = near && distance(bare.toLowerCase(), near.toLowerCase()) <= Math.max(2, Math.ceil(bare.length / 3))
      ? `; did you mean '${tableNames[catalogue.tables.findIndex((t) => t.name === near)]}'?`
      : suggestion(s.table, tableNames);
    at(['table'], `table '${s.table}' does not exist in the warehouse${hint}`);
    return out;
  }
  const names = table.columns.map((c) => c.name);
  const where = `${table.schema}.${table.name}`;
  const column = (path: (string | number)[], name: string, want: 'timestamp' | 'number' | 'string' | 'boolean' | null, role: string) => {
    const c = findColumn(table, name);
    const fitting = want ? table.columns.filter((x) => compatible(want, x.kind)).map((x) => x.name) : names;
    if (!c) {
      // A plausible typo first (of any column); otherwise the columns that could serve.
      const typo = suggestion(name, names);
      return at(path, `column '${name}' (${role}) does not exist in ${where}${typo.startsWith(';') ? typo : suggestion(name, fitting.length ? fitting : names)}`);
    }
    if (want && !compatible(want, c.kind)) {
      const fix = want === 'timestamp' ? ' (cast it in a view, or point at a timestamp column)' : `; declare it as ${c.kind === 'other' || c.kind === 'date' ? 'a type it has' : c.kind}`;
      at(path, `column '${name}' in ${where} is ${c.dataType}, not ${ARTICLE[want]}${fix}`);
    }
  };
  for (const [unit, col] of Object.entries(s.units)) column(['units', unit], col, null, `id of unit '${unit}'`);
  if (s.timestamp !== undefined) column(['timestamp'], s.timestamp, 'timestamp', 'timestamp');
  if (s.loaded_at) column(['loaded_at'], s.loaded_at, 'timestamp', 'load time');
  if (s.experiment_key) column(['experiment_key'], s.experiment_key, null, 'experiment key');
  if (s.variant) column(['variant'], s.variant, null, 'variant');
  for (const [col, type] of Object.entries(s.columns)) column(['columns', col], col, type, `declared ${type}`);
  return out;
}

/** Every problem of the named sources, in model-file order. */
export function checkSources(models: Models, sourceNames: Iterable<string>, catalogue: Catalogue): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const name of [...new Set(sourceNames)].sort()) {
    const src = models.sources.get(name);
    if (src) out.push(...checkSource(src, catalogue));
  }
  return out.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
}
