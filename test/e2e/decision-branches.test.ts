// Every branch of the decision policy reached through the real pipeline (runProject: compile, DuckDB,
// checks, statistics, package) on one generated warehouse, asserting what results.json and the run
// summary say. The decision is TypeScript over the statistics, so DuckDB alone suffices here; the
// checks, whose inputs are SQL counts, run on the warehouse matrix in test/matrix/check-outcomes.test.ts.
// NO_PRIMARY cannot be reached this way (a spec without a primary metric is refused when loaded, and
// analyze always reports it), so it stays a unit test of decide() in test/run/decide.test.ts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { getTarget, loadProjectConfig } from '../../src/config/project-config.js';
import type { MetricResult, Results } from '../../src/run/results.js';
import { runProject, type RunSummary } from '../../src/run/run-project.js';
import { branchProject, branchSpec } from '../helpers/branch-project.js';

const cr = (id: string, extra: string, key = 'checkout_redesign') => branchSpec(id, { key, variants: [['control', 0.5], ['one_page', 0.5]], extra });
const relabelled = (id: string, key: string, variants: [string, number][], extra: string) => branchSpec(id, { source: 'relabelled_exposures', key, variants, extra });

const SPECS: Record<string, string> = {
  two_winners: relabelled('two_winners', 'two_winners', [['control', 0.5], ['win_a', 0.25], ['win_b', 0.25]], 'metrics: { primary: order_completed }'),
  worse_and_flat: relabelled('worse_and_flat', 'worse_and_flat', [['control', 0.25], ['flat', 0.25], ['worse', 0.5]], 'metrics: { primary: order_completed }\ndecision: { when_inconclusive: stop }'),
  all_worse: relabelled('all_worse', 'all_worse', [['control', 0.5], ['worse', 0.5]], 'metrics: { primary: order_completed }'),
  guardrail_within: cr('guardrail_within', 'metrics:\n  primary: order_completed\n  guardrails: [{ metric: orders_as_cost, max_relative_harm: 0.9 }]'),
  guardrail_beyond: cr('guardrail_beyond', 'metrics:\n  primary: order_completed\n  guardrails: [{ metric: orders_as_cost, max_relative_harm: 0.1 }]'),
  guardrail_unmeasured: cr('guardrail_unmeasured', 'metrics:\n  primary: order_completed\n  guardrails: [{ metric: never_logged, max_relative_harm: 0.1 }]\ndecision: { when_inconclusive: stop }'),
  aa_iterate: branchSpec('aa_iterate', { key: 'homepage_aa', variants: [['a', 0.5], ['b', 0.5]], extra: 'metrics: { primary: order_completed }\ndecision: { when_inconclusive: iterate }' }),
  srm_rerun: branchSpec('srm_rerun', { key: 'pricing_banner', variants: [['control', 0.5], ['banner', 0.5]] }),
  flat_prior: cr('flat_prior', 'metrics: { primary: order_completed }'),
  strong_prior: cr('strong_prior', 'metrics: { primary: order_completed }\nanalysis: { prior: { mean: 0, stddev: 0.01 } }'),
};

let summary: RunSummary;
const results = new Map<string, Results>();
let project: string;

beforeAll(async () => {
  project = await branchProject(SPECS);
  const config = loadProjectConfig(project);
  summary = await runProject({ config, target: getTarget(config, undefined), selectors: [], asOf: config.asOf! });
  for (const s of summary.experiments) results.set(s.id, JSON.parse(readFileSync(join(s.packageDir, 'results.json'), 'utf8')));
}, 240_000);

const metric = (id: string, name: string): MetricResult => results.get(id)!.metrics.find((m) => m.name === name)!;
const comparison = (id: string, name: string, variant: string) => metric(id, name).comparisons.find((c) => c.variant === variant)!;
const decision = (id: string) => results.get(id)!.decision;
const codes = (id: string) => decision(id).reasons.map((r) => r.code);
const summaryOf = (id: string) => summary.experiments.find((e) => e.id === id)!;

describe('decision branches through runProject on DuckDB', () => {
  it('ran every spec and wrote a package whose summary agrees with results.json', () => {
    expect(summary.experiments.map((e) => e.id).sort()).toEqual(Object.keys(SPECS).sort());
    for (const s of summary.experiments) {
      expect(s.recommendation).toBe(decision(s.id).recommendation);
      expect(s.variant).toBe(decision(s.id).variant);
    }
  });

  it('several winning variants: SHIP the one with the largest significant lift', () => {
    const a = comparison('two_winners', 'order_completed', 'win_a');
    const b = comparison('two_winners', 'order_completed', 'win_b');
    for (const c of [a, b]) {
      expect(c.relative.pValue).toBeLessThan(0.05);
      expect(c.relative.lift).toBeGreaterThan(0);
    }
    const larger = Math.abs(a.relative.lift) > Math.abs(b.relative.lift) ? 'win_a' : 'win_b';
    expect(decision('two_winners')).toMatchObject({ recommendation: 'ship', variant: larger });
    expect(codes('two_winners')).toEqual(['PRIMARY_WIN']);
  });

  it("one variant worse and another flat: not STOP on the loss, the policy's fallback (here stop) as INCONCLUSIVE", () => {
    expect(comparison('worse_and_flat', 'order_completed', 'worse').relative.pValue).toBeLessThan(0.05);
    expect(comparison('worse_and_flat', 'order_completed', 'worse').relative.lift).toBeLessThan(0);
    expect(comparison('worse_and_flat', 'order_completed', 'flat').relative.pValue).toBeGreaterThan(0.05);
    expect(decision('worse_and_flat')).toMatchObject({ recommendation: 'stop', variant: null });
    expect(codes('worse_and_flat')).toEqual(['INCONCLUSIVE']);
  });

  it('every variant significantly worse: STOP with PRIMARY_LOSS', () => {
    expect(comparison('all_worse', 'order_completed', 'worse').relative.lift).toBeLessThan(0);
    expect(decision('all_worse')).toMatchObject({ recommendation: 'stop', variant: null });
    expect(codes('all_worse')).toEqual(['PRIMARY_LOSS']);
  });

  it('a guardrail significantly worse yet within its tolerance does not block SHIP', () => {
    const g = comparison('guardrail_within', 'orders_as_cost', 'one_page');
    expect(metric('guardrail_within', 'orders_as_cost').higherIsBetter).toBe(false);
    expect(g.relative.pValue).toBeLessThan(0.05);
    // Worse (more of a lower-is-better metric) by more than the other spec's 10% but less than this one's 90%.
    expect(g.relative.lift).toBeGreaterThan(0.1);
    expect(g.relative.lift).toBeLessThan(0.9);
    expect(decision('guardrail_within')).toMatchObject({ recommendation: 'ship', variant: 'one_page' });
  });

  it('the same guardrail beyond its tolerance: STOP with GUARDRAIL_BREACHED', () => {
    expect(decision('guardrail_beyond')).toMatchObject({ recommendation: 'stop', variant: null });
    expect(codes('guardrail_beyond')).toEqual(['GUARDRAIL_BREACHED']);
    expect(decision('guardrail_beyond').reasons[0].message).toContain('orders_as_cost');
  });

  it("a guardrail that cannot be measured never allows SHIP: GUARDRAIL_UNMEASURED and the policy's fallback", () => {
    const g = comparison('guardrail_unmeasured', 'never_logged', 'one_page');
    expect(g.relative.ok).toBe(false);
    // The primary alone would ship (guardrail_within shows the same primary winning).
    expect(comparison('guardrail_unmeasured', 'order_completed', 'one_page').relative.pValue).toBeLessThan(0.05);
    expect(decision('guardrail_unmeasured')).toMatchObject({ recommendation: 'stop', variant: null });
    expect(codes('guardrail_unmeasured')).toEqual(['GUARDRAIL_UNMEASURED']);
    expect(decision('guardrail_unmeasured').reasons[0].message).toContain('never_logged');
  });

  it('no significant change: ITERATE (the policy) with INCONCLUSIVE', () => {
    expect(comparison('aa_iterate', 'order_completed', 'b').relative.pValue).toBeGreaterThan(0.05);
    expect(decision('aa_iterate')).toMatchObject({ recommendation: 'iterate', variant: null });
    expect(codes('aa_iterate')).toEqual(['INCONCLUSIVE']);
  });

  it('a failed error-severity check: RERUN naming it, and the run exits 1', () => {
    expect(decision('srm_rerun')).toMatchObject({ recommendation: 'rerun', variant: null });
    expect(codes('srm_rerun')).toEqual(['SRM_DETECTED']);
    expect(summaryOf('srm_rerun').failedChecks).toContainEqual({ reasonCode: 'SRM_DETECTED', severity: 'error' });
    expect(summary.exitCode).toBe(1);
  });

  it('a prior in the spec reaches the Bayesian readout: pulled toward its mean, frequentist numbers untouched', () => {
    const flat = comparison('flat_prior', 'order_completed', 'one_page');
    const strong = comparison('strong_prior', 'order_completed', 'one_page');
    expect(results.get('strong_prior')!.experiment.analysis.prior).toEqual({ mean: 0, stddev: 0.01 });
    expect(results.get('flat_prior')!.experiment.analysis.prior ?? null).toBeNull();
    expect(metric('strong_prior', 'order_completed').method.prior).toEqual({ mean: 0, stddev: 0.01 });
    expect(strong.relative).toEqual(flat.relative);
    expect(flat.bayesian!.mean).toBeCloseTo(flat.relative.lift, 6);
    // A prior sd of 1% against a lift of about 30%: the posterior mean lands near the prior's 0.
    expect(Math.abs(strong.bayesian!.mean)).toBeLessThan(Math.abs(flat.bayesian!.mean) / 3);
    expect(strong.bayesian!.mean).toBeGreaterThan(0);
  });
});
