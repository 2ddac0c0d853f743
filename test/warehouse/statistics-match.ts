import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { Results } from '../../src/run/results.js';

export function readResults(packageDir: string): Results {
  return JSON.parse(readFileSync(join(packageDir, 'results.json'), 'utf8')) as Results;
}

/** Walks two values and fails at the first difference; numbers may differ by `tolerance` (relative, absolute near 0). */
function compare(a: unknown, b: unknown, path: string, tolerance: number): void {
  if (typeof a === 'number' && typeof b === 'number') {
    const scale = Math.max(1, Math.abs(a), Math.abs(b));
    if (!(Math.abs(a - b) <= tolerance * scale || (Number.isNaN(a) && Number.isNaN(b)))) expect.fail(`${path}: ${a} != ${b}`);
    return;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) compare((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`, tolerance);
    return;
  }
  if (a !== b) expect.fail(`${path}: ${JSON.stringify(a)} != ${JSON.stringify(b)}`);
}

/** Same exposures, sources, checks, metric statistics and decision (not run metadata, not raw rows). */
export function expectSameStatistics(actual: Results, expected: Results, tolerance = 1e-9): void {
  for (const part of ['exposures', 'sources', 'checks', 'metrics', 'decision'] as const) {
    compare(actual[part], expected[part], `${expected.experiment.id}.${part}`, tolerance);
  }
}
