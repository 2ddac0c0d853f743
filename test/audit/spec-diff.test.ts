import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withExperimentLock } from '../../src/audit/experiment-lock.js';
import { diffModels, diffSpecs } from '../../src/audit/spec-diff.js';

const spec = `id: x
variants:
  - { key: control, weight: 0.5 }
  - { key: b, weight: 0.5 }
start: 2026-10-04
metrics:
  primary: conv
  secondary: [revenue]
  guardrails:
    - { metric: errors, max_relative_harm: 0.1 }
alpha: 0.05
checks: { srm: { p_value: 0.001 } }
`;
const texts = (s: string) => diffSpecs(spec, s).map((e) => e.text);

describe('spec change log', () => {
  it('says what changed in words, and which changes invalidate comparisons', () => {
    const changed = spec
      .replace('{ key: control, weight: 0.5 }', '{ key: control, weight: 0.6 }')
      .replace('{ key: b, weight: 0.5 }', '{ key: b, weight: 0.4 }')
      .replace('secondary: [revenue]', 'secondary: [revenue, revenue_per_user]')
      .replace('alpha: 0.05', 'alpha: 0.1')
      .replace('max_relative_harm: 0.1', 'max_relative_harm: 0.2')
      .replace('p_value: 0.001', 'p_value: 0.01');
    const d = diffSpecs(spec, changed);
    expect(d.map((e) => e.text)).toEqual([
      'variant weights changed 50/50 → 60/40: comparisons across this change are invalid',
      'alpha changed 0.05 → 0.1',
      'secondary metric revenue_per_user added',
      'guardrail errors tolerance changed 0.1 → 0.2',
      'checks.srm.p_value changed 0.001 → 0.01',
    ]);
    expect(d.filter((e) => e.invalidates)).toHaveLength(1);
  });

  it('names added and removed variants and metrics, window and primary changes', () => {
    expect(texts(spec.replace('  - { key: b, weight: 0.5 }', '  - { key: b, weight: 0.25 }\n  - { key: c, weight: 0.25 }'))).toEqual([
      'variants changed control, b → control, b, c: comparisons across this change are invalid',
    ]);
    expect(texts(spec.replace('secondary: [revenue]', 'secondary: []').replace('primary: conv', 'primary: orders'))).toEqual([
      'primary metric changed conv → orders',
      'secondary metric revenue removed',
    ]);
    expect(texts(spec.replace('start: 2026-10-04', 'start: 2026-10-05\nend: 2026-11-15'))).toEqual([
      'start changed 2026-10-04 → 2026-10-05 (a different population is exposed): comparisons across this change are invalid',
      'end changed (none) → 2026-11-15',
    ]);
    expect(diffSpecs(spec, `# a comment only\n${spec}`)).toEqual([]);
  });

  it('compares model entries, not lines', () => {
    const a = { 'metrics.yaml': 'metrics:\n  conv: { type: proportion, source: web, filter: "x = 1" }\n  old: { type: count, source: web }\n' };
    const b = { 'metrics.yaml': 'metrics:\n  old: { type: count, source: web }\n  conv: { type: proportion, source: web, filter: "x = 2" }\n  new: { type: count, source: web }\n' };
    expect(diffModels(a, b).map((e) => e.text)).toEqual(['metric conv changed: filter changed x = 1 → x = 2', 'metric new added']);
    expect(diffModels(a, b)[0].invalidates).toBe(true);
  });
});

describe('experiment lock', () => {
  it('lets one holder in at a time and leaves no lock file behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'exptrack-lock-'));
    const events: string[] = [];
    const hold = (name: string) =>
      withExperimentLock(dir, async () => {
        events.push(`${name} in`);
        await new Promise((r) => setTimeout(r, 50));
        events.push(`${name} out`);
      });
    await Promise.all([hold('a'), hold('b'), hold('c')]);
    for (let i = 0; i < events.length; i += 2) expect(events[i + 1]).toBe(events[i].replace(' in', ' out'));
    expect(readdirSync(dir)).toEqual([]);
  });

  it('does not remove a lock that was taken over from it while it ran', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'exptrack-lock-'));
    const lock = join(dir, '.lock');
    const other = JSON.stringify({ pid: 1, host: 'elsewhere', createdAt: new Date().toISOString(), token: 'someone-else' });
    await withExperimentLock(dir, () => {
      // While we hold it, another process judged our lock stale and replaced it with its own.
      writeFileSync(lock, other);
    });
    expect(readFileSync(lock, 'utf8')).toBe(other);
  });
});
