import { describe, expect, it } from 'vitest';
import { decide } from '../../src/run/decide.js';
import type { CheckResult, MetricResult } from '../../src/run/results.js';
import type { ResolvedExperiment } from '../../src/spec/types.js';
import { compareTreatment } from '../../src/stats/index.js';

// Decisions are made from real comparisons of constructed sufficient statistics, not hand-set p-values.
const exp = {
  alpha: 0.05,
  decision: { minRelativeLift: 0.02, whenInconclusive: 'iterate' },
} as unknown as ResolvedExperiment;

function metric(name: string, role: MetricResult['role'], control: [number, number], treatment: [number, number], extra: Partial<MetricResult> = {}): MetricResult {
  const [na, xa] = control;
  const [nb, xb] = treatment;
  const arm = (n: number, x: number) => ({ kind: 'proportion' as const, n, y: { sum: x, sumSquares: x } });
  const c = compareTreatment(arm(na, xa), arm(nb, xb), { alpha: 0.05 });
  return {
    name,
    label: name,
    description: '',
    kind: 'proportion',
    role,
    higherIsBetter: true,
    maxRelativeHarm: role === 'guardrail' ? 0.05 : null,
    method: { test: 'welch-t', sides: 'two-sided', sequential: null, cuped: null, capping: null, prior: null, correction: 'none' },
    caps: {},
    arms: [],
    comparisons: [{ variant: 'treatment', absolute: c.absolute, relative: c.relative, cuped: null, unadjusted: null, bayesian: c.bayesian.relative }],
    paired: null,
    dimensions: [],
    ...extra,
  };
}

const pass = (reasonCode: string, severity: 'error' | 'warn' = 'error'): CheckResult => ({ id: reasonCode, reasonCode, title: reasonCode, severity, status: 'pass', measured: '', threshold: '', message: 'ok' });
const fail = (reasonCode: string, severity: 'error' | 'warn' = 'error'): CheckResult => ({ ...pass(reasonCode, severity), status: 'fail', message: 'broken.' });

const win = metric('conversion', 'primary', [5000, 600], [5000, 800]);
const flat = metric('conversion', 'primary', [5000, 600], [5000, 605]);
const loss = metric('conversion', 'primary', [5000, 800], [5000, 600]);
const safeGuardrail = metric('errors_free', 'guardrail', [5000, 4000], [5000, 4010]);
const brokenGuardrail = metric('errors_free', 'guardrail', [5000, 4500], [5000, 3500]);

describe('decision policy', () => {
  it('ships a significant winner above the minimum lift when checks pass and guardrails hold', () => {
    const d = decide(exp, [pass('SRM_DETECTED')], [win, safeGuardrail]);
    expect(d).toMatchObject({ recommendation: 'ship', variant: 'treatment' });
    expect(d.reasons[0].code).toBe('PRIMARY_WIN');
  });

  it('forces rerun when an error-severity check fails, whatever the metrics say', () => {
    const d = decide(exp, [fail('SRM_DETECTED')], [win, safeGuardrail]);
    expect(d.recommendation).toBe('rerun');
    expect(d.reasons.map((r) => r.code)).toEqual(['SRM_DETECTED']);
  });

  it('does not let a failed warn-severity check block shipping', () => {
    expect(decide(exp, [fail('MULTIPLE_EXPOSURE', 'warn')], [win]).recommendation).toBe('ship');
  });

  it('forces stop when a guardrail is significantly worse beyond its tolerance', () => {
    const d = decide(exp, [pass('SRM_DETECTED')], [win, brokenGuardrail]);
    expect(d.recommendation).toBe('stop');
    expect(d.reasons[0].code).toBe('GUARDRAIL_BREACHED');
    expect(d.reasons[0].message).toContain('errors_free');
  });

  it('treats a lower-is-better guardrail that went up as harm', () => {
    const upIsBad = metric('errors', 'guardrail', [5000, 500], [5000, 900], { higherIsBetter: false });
    expect(decide(exp, [], [win, upIsBad]).recommendation).toBe('stop');
    const downIsGood = metric('errors', 'guardrail', [5000, 900], [5000, 500], { higherIsBetter: false });
    expect(decide(exp, [], [win, downIsGood]).recommendation).toBe('ship');
  });

  it('is inconclusive without a significant change, and follows when_inconclusive', () => {
    expect(decide(exp, [], [flat]).recommendation).toBe('iterate');
    const stopping = { ...exp, decision: { minRelativeLift: 0, whenInconclusive: 'stop' } } as ResolvedExperiment;
    expect(decide(stopping, [], [flat]).recommendation).toBe('stop');
  });

  it('stops on a significant loss of the primary metric', () => {
    const d = decide(exp, [], [loss]);
    expect(d.recommendation).toBe('stop');
    expect(d.reasons[0].code).toBe('PRIMARY_LOSS');
  });

  it('does not ship a significant lift below min_relative_lift', () => {
    // +3.3% relative with a huge sample is significant but below a 5% minimum.
    const small = metric('conversion', 'primary', [400000, 48000], [400000, 49600]);
    expect(small.comparisons[0].relative.pValue).toBeLessThan(0.05);
    const strict = { ...exp, decision: { minRelativeLift: 0.05, whenInconclusive: 'iterate' } } as ResolvedExperiment;
    expect(decide(strict, [], [small]).recommendation).toBe('iterate');
    expect(decide(exp, [], [small]).recommendation).toBe('ship');
  });

  it('says why when the lift cannot be estimated', () => {
    const empty = metric('conversion', 'primary', [1, 0], [1, 1]);
    const d = decide(exp, [], [empty]);
    expect(d.recommendation).toBe('iterate');
    expect(d.reasons[0].message).toContain('cannot be estimated');
  });
});

describe('a guardrail that cannot be measured', () => {
  // Control rate 0: the relative lift of the guardrail has no estimate.
  const unmeasured = metric('errors_free', 'guardrail', [5000, 0], [5000, 10]);

  it('has no estimate (the premise)', () => {
    expect(unmeasured.comparisons[0].relative.ok).toBe(false);
  });

  it('never allows SHIP: the reason is named and the fallback (when_inconclusive) applies', () => {
    const d = decide(exp, [pass('SRM_DETECTED')], [win, unmeasured]);
    expect(d.recommendation).toBe('iterate');
    expect(d.variant).toBeNull();
    expect(d.reasons.map((r) => r.code)).toEqual(['GUARDRAIL_UNMEASURED']);
    expect(d.reasons[0].message).toContain('errors_free in treatment');
    const stopping = { ...exp, decision: { ...exp.decision, whenInconclusive: 'stop' } } as ResolvedExperiment;
    expect(decide(stopping, [], [win, unmeasured]).recommendation).toBe('stop');
  });

  it('does not change a decision that is not SHIP', () => {
    expect(decide(exp, [], [flat, unmeasured]).reasons[0].code).toBe('INCONCLUSIVE');
    expect(decide(exp, [], [loss, unmeasured]).recommendation).toBe('stop');
  });

  it('a guardrail significantly worse but within its tolerance does not block SHIP', () => {
    // errors_free falls 4000 -> 3900 of 5000 (-2.5%, significant) with 5% tolerated.
    const tolerated = metric('errors_free', 'guardrail', [50000, 40000], [50000, 39000]);
    expect(tolerated.comparisons[0].relative.pValue).toBeLessThan(0.05);
    expect(decide(exp, [], [win, tolerated]).recommendation).toBe('ship');
  });
});

describe('several variants', () => {
  const two = (a: MetricResult, b: MetricResult): MetricResult => ({ ...a, comparisons: [{ ...a.comparisons[0], variant: 'v1' }, { ...b.comparisons[0], variant: 'v2' }] });
  const bigWin = metric('conversion', 'primary', [5000, 600], [5000, 900]);

  it('with several winners, ships the largest improvement', () => {
    const d = decide(exp, [], [two(win, bigWin)]);
    expect(d).toMatchObject({ recommendation: 'ship', variant: 'v2' });
    expect(decide(exp, [], [two(bigWin, win)]).variant).toBe('v1');
  });

  it('one variant worse and another flat is not a stop: the fallback applies', () => {
    const d = decide(exp, [], [two(loss, flat)]);
    expect(d.recommendation).toBe('iterate');
    expect(d.reasons[0].code).toBe('INCONCLUSIVE');
  });

  it('every variant significantly worse is a stop naming each', () => {
    const d = decide(exp, [], [two(loss, loss)]);
    expect(d.recommendation).toBe('stop');
    expect(d.reasons.map((r) => r.code)).toEqual(['PRIMARY_LOSS', 'PRIMARY_LOSS']);
  });

  it('no primary metric result gives NO_PRIMARY', () => {
    expect(decide(exp, [], [safeGuardrail]).reasons[0].code).toBe('NO_PRIMARY');
  });
});
