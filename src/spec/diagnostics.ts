import { closest, distance } from 'fastest-levenshtein';

/** One problem in one input file, located for an editor jump (file:line:column). */
export interface Diagnostic {
  file: string;
  line: number;
  column: number;
  /** Dotted path of the field in the file, e.g. `metrics.primary` or `variants[1].weight`. */
  field: string;
  message: string;
}

export function formatDiagnostic(d: Diagnostic): string {
  const where = d.field ? ` ${d.field}:` : '';
  return `${d.file}:${d.line}:${d.column}: error:${where} ${d.message}`;
}

/** Thrown when inputs are invalid; carries every problem found, not just the first. */
export class ValidationError extends Error {
  constructor(readonly diagnostics: Diagnostic[]) {
    super(diagnostics.map(formatDiagnostic).join('\n'));
    this.name = 'ValidationError';
  }
}

export function fieldPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${part}` : part;
  }
  return out;
}

/** "unknown metric 'x'; did you mean 'y'?" with the suggestion only when it is plausibly a typo. */
export function unknownName(kind: string, name: string, known: readonly string[], where = ''): string {
  const base = `unknown ${kind} '${name}'${where ? ` ${where}` : ''}`;
  if (known.length === 0) return `${base} (none are defined)`;
  const best = closest(name, [...known]);
  const limit = Math.max(2, Math.ceil(name.length / 3));
  if (distance(name, best) <= limit) return `${base}; did you mean '${best}'?`;
  return `${base} (known: ${[...known].sort().join(', ')})`;
}
