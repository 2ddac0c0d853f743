import type { z } from 'zod';
import type { Diagnostic } from './diagnostics.js';
import type { YamlFile } from './yaml-file.js';

type Issue = z.core.$ZodIssue;

function describe(issue: Issue, value: unknown): string {
  switch (issue.code) {
    case 'invalid_type':
      if (value === undefined) return `missing required field (expected ${issue.expected})`;
      return `expected ${issue.expected}, got ${value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value}`;
    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, got ${JSON.stringify(value)}`;
    case 'too_small':
      return issue.message.startsWith('Too small') ? `expected ${issue.origin} ${issue.inclusive ? '>=' : '>'} ${issue.minimum}` : issue.message;
    case 'too_big':
      return issue.message.startsWith('Too big') ? `expected ${issue.origin} ${issue.inclusive ? '<=' : '<'} ${issue.maximum}` : issue.message;
    default:
      return issue.message.replace(/^Invalid input: /, '');
  }
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = data;
  for (const p of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[p];
  }
  return v;
}

/** Turns zod issues into located diagnostics; unknown keys point at the key itself. */
export function zodDiagnostics(file: YamlFile, issues: readonly Issue[], data: unknown): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const issue of issues) {
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push(file.diagnostic([...path, key], `unknown field '${key}'`, { key: true }));
      continue;
    }
    if (issue.code === 'invalid_key') {
      // A bad record key (a source, metric or column name): say what a name must look like, at the key.
      const key = path[path.length - 1];
      const why = issue.issues.map((i) => describe(i as Issue, key)).join('; ');
      out.push(file.diagnostic(path, why || describe(issue, key), { key: true }));
      continue;
    }
    out.push(file.diagnostic(path, describe(issue, valueAt(data, path))));
  }
  return out;
}
