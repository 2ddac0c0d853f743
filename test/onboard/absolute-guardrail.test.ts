import { describe, expect, it } from 'vitest';
import { decide } from '../../src/run/decide.js';
import type { CheckResult, MetricResult } from '../../src/run/results.js';
import type { ResolvedExperiment } from '../../src/spec/types.js';
import { compareTreatment } from '../../src/stats/index.js';

// Real comparisons of constructed proportions; only the tolerances differ between cases.
const exp = { alpha: 0.05, decision: { minRelativeLift: 0, whenInconclusive: 'iterate' } } as unknown as ResolvedExperiment;
const ok: CheckResult[] = [];

function proportion(name: string, role: MetricResult['role'], control: [number, number], treatment: [number, number], harm: { rel: number | null; abs: number | null }): MetricResult {
  const arm = (n: number, x: number) => ({ kind: 'proportion' as const, n, y: { sum: x, sumSquares: x } });
  const c = compareTreatment(arm(...control), arm(...treatment), { alpha: 0.05 });
  return {
    name, label: name, description: '', kind: 'proportion', role, higherIsBetter: true,
    maxRelativeHarm: harm.rel, maxAbsoluteHarm: harm.abs,
    method: { test: 'welch-t', sides: 'two-sided', sequential: null, cuped: null, capping: null, prior: null, correction: 'none' },
    caps: {}, arms: [],
    comparisons: [{ variant: 'treatment', absolute: c.absolute, relative: c.relative, cuped: null, unadjusted: null, bayesian: c.bayesian.relative }],
    paired: null, dimensions: [],
  };
}

const primary = proportion('conversion', 'primary', [20000, 2000], [20000, 2400], { rel: null, abs: null });
// 80% -> 78.5%: a significant drop of 1.5 percentage points (about -1.9% relative).
const drop = (abs: number | null, rel: number | null) => proportion('checkout_ok', 'guardrail', [20000, 16000], [20000, 15700], { rel, abs });

describe('max_absolute_harm guardrails', () => {
  it('stop when the absolute harm is significant and beyond the tolerance, in percentage points', () => {
    const d = decide(exp, ok, [primary, drop(0.01, null)]);
    expect(d.recommendation).toBe('stop');
    expect(d.reasons[0].message).toMatch(/by 1\.5 percentage points .* beyond the tolerated 1 percentage points/);
  });

  it('hold when the harm is within the absolute tolerance, with no relative tolerance implied', () => {
    expect(decide(exp, ok, [primary, drop(0.02, null)]).recommendation).toBe('ship');
  });

  it('both tolerances apply when both are given: the tighter one decides', () => {
    expect(decide(exp, ok, [primary, drop(0.02, 0.01)]).recommendation).toBe('stop');
    expect(decide(exp, ok, [primary, drop(0.02, 0.05)]).recommendation).toBe('ship');
  });
});
