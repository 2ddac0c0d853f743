// Metric kinds the incremental planner does not know (say, ones added to the spec language later) fall
// back to a full refresh with a reason; known kinds do not.
import { describe, expect, it } from 'vitest';
import { INCREMENTAL_METRIC_KINDS, incrementalBlocker } from '../../src/state/incremental-support.js';
import { unitValueReads } from '../../src/state/state-plan.js';
import { createStateRunner, stepsOutsideState } from '../../src/state/state-runner.js';
import { getWarehouse } from '../../src/warehouse/registry.js';
import type { Adapter } from '../../src/warehouse/types.js';
import { compileDemoFor } from '../golden/demo-compile.js';

const experiments = compileDemoFor('duckdb').experiments;

describe('the incremental planner', () => {
  it('accepts every demo experiment (all of their kinds are on the list)', () => {
    for (const e of experiments) expect(incrementalBlocker(e), e.id).toBeNull();
    expect(new Set(experiments.flatMap((e) => e.metrics.map((m) => m.kind))).size).toBeGreaterThan(2);
  });

  it('names a kind that is not on the list, and the runner falls back to a full refresh with that reason', async () => {
    const exp = structuredClone(experiments[0]);
    (exp.metrics[0] as { kind: string }).kind = 'sketch';
    expect(INCREMENTAL_METRIC_KINDS).not.toContain('sketch');
    expect(incrementalBlocker(exp)).toMatch(new RegExp(`metric ${exp.metrics[0].name} is of kind 'sketch'`));
    const noQueries: Adapter = { query: async () => { throw new Error('no query expected'); }, transaction: async () => { throw new Error('no transaction expected'); }, close: async () => undefined };
    const runner = createStateRunner({
      target: { name: 't', type: 'duckdb', settings: {}, unsetVariables: [], state: { writeSchema: 's.duckdb', incremental: true, lateLookbackSeconds: null, concurrency: null } },
      warehouse: getWarehouse('duckdb'),
      adapter: noQueries,
      fullRefresh: false,
    });
    const out = await runner.refresh(exp, '2026-11-01T00:00:00Z', 'r', { experiment: exp.id, step: 'state' });
    expect(out).toEqual({ fallback: { mode: 'full', reason: expect.stringContaining("kind 'sketch'") } });
  });

  it('accepts quantile metrics and attribute-table dimensions (read from state, and joined at read time)', () => {
    expect(INCREMENTAL_METRIC_KINDS).toContain('quantile');
    const exp = structuredClone(experiments[0]);
    const source = { ...exp.exposure.source, name: 'accounts', timestamp: null };
    exp.attributeDimensions = [{ name: 'accounts.plan', source, column: 'plan' }];
    expect(incrementalBlocker(exp)).toBeNull();
  });

  it('reads the per-unit-value steps from state, except quantiles when an event-level quantile needs every event', () => {
    const none = { rankTests: [], unitQuantiles: [], eventQuantiles: [], assignment: null };
    expect(unitValueReads(none)).toEqual([]);
    expect(unitValueReads({ ...none, assignment: {}, rankTests: [{}], unitQuantiles: [{}] })).toEqual(['assignment', 'ranks', 'shift_bins', 'quantiles']);
    expect(unitValueReads({ ...none, unitQuantiles: [{}], eventQuantiles: [{}] })).toEqual([]);
  });

  it('falls back when the adapter cannot hold a transaction', async () => {
    const runner = createStateRunner({
      target: { name: 't', type: 'bigquery', settings: {}, unsetVariables: [], state: { writeSchema: 'ds', incremental: true, lateLookbackSeconds: null, concurrency: null } },
      warehouse: getWarehouse('bigquery'),
      adapter: { query: async () => [], close: async () => undefined },
      fullRefresh: false,
    });
    const out = await runner.refresh(experiments[0], '2026-11-01T00:00:00Z', 'r', { experiment: experiments[0].id, step: 'state' });
    expect('fallback' in out && out.fallback.reason).toMatch(/bigquery adapter cannot run a multi-statement transaction/);
  });

  it('runs the steps the state did not answer whole, naming each with its reason, and skips fingerprints', () => {
    const steps = ['exposures', 'metrics', 'sources', 'fingerprints', 'daily', 'exposure_quality', 'assignment', 'ranks', 'some_new_step'].map((name) => ({ name }));
    const refresh = { mode: 'incremental' as const, reason: null };
    const data = { exposures: [], metrics: [], sources: [], daily: [] };
    const outside = stepsOutsideState(steps, data, refresh);
    expect(outside.map((s) => s.name)).toEqual(['exposure_quality', 'assignment', 'ranks', 'some_new_step']);
    expect(refresh).toMatchObject({ fullSteps: [expect.stringMatching(/^exposure_quality \(events tagged/), expect.stringMatching(/^assignment \(/), expect.stringMatching(/^ranks \(Mann-Whitney/), 'some_new_step (no state merge for this step)'] });
    const all = { ...data, exposure_quality: [], assignment: [], ranks: [], some_new_step: [] };
    const none = { mode: 'incremental' as const, reason: null };
    expect(stepsOutsideState(steps, all, none)).toEqual([]);
    expect(none).not.toHaveProperty('fullSteps');
  });
});
