// Validation of quantile metrics: each mistake at its file, line, column and field; valid ones (unit and
// event level) resolved with their level.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BASE_SPEC, REPO_ROOT, diagnosticsOf, load, locate, removeTempProjects, replaceOnce, tempProject } from './fixture.js';

afterAll(removeTempProjects);

const repoModels = Object.fromEntries(['sources.yaml', 'metrics.yaml', 'filters.yaml'].map((f) => [f, readFileSync(join(REPO_ROOT, 'models', f), 'utf8')]));
const withExtra = (extra: string, spec = BASE_SPEC) => tempProject({ specs: { 's.yaml': spec }, models: { ...repoModels, 'extra.yaml': `metrics:\n${extra}` } });
const EXTRA = join('models', 'extra.yaml');

describe('quantile metrics in the models', () => {
  it('resolves a unit-level quantile: a mean-type per-unit value, the level and ignore_zeros', () => {
    const extra = "  p90_amount:\n    type: quantile\n    quantile: 0.9\n    ignore_zeros: true\n    source: web_events\n    value: amount\n    filter: \"event_name = 'order_completed'\"\n";
    const [e] = load(withExtra(extra, replaceOnce(BASE_SPEC, 'primary: order_completed', 'primary: p90_amount')));
    const m = e.metrics[0];
    expect(m.kind).toBe('quantile');
    expect(m.quantile).toEqual({ level: 0.9, ignoreZeros: true, levelOf: 'unit' });
    expect(m.numerator.kind).toBe('mean');
  });

  it('resolves an event-level quantile', () => {
    const extra = "  p50_order:\n    type: quantile\n    quantile: 0.5\n    level: event\n    source: web_events\n    value: amount\n";
    const [e] = load(withExtra(extra, replaceOnce(BASE_SPEC, 'primary: order_completed', 'primary: p50_order')));
    expect(e.metrics[0].quantile).toEqual({ level: 0.5, ignoreZeros: false, levelOf: 'event' });
  });

  it('names a wrong level at its line and column', () => {
    const extra = '  p50_order:\n    type: quantile\n    quantile: 0.5\n    level: session\n    source: web_events\n    value: amount\n';
    expect(diagnosticsOf(withExtra(extra))).toContainEqual(expect.objectContaining({ file: EXTRA, ...locate(`metrics:\n${extra}`, 'session'), field: 'metrics.p50_order.level' }));
  });

  it('needs a quantile level and a value, takes no capping, and keeps quantile fields off other metrics', () => {
    const extra = '  noq:\n    type: quantile\n    source: web_events\n    capping: { value: 5 }\n  m:\n    type: mean\n    source: web_events\n    value: amount\n    quantile: 0.5\n';
    const diags = diagnosticsOf(withExtra(extra));
    expect(diags.map((d) => [d.field, d.message])).toEqual(
      expect.arrayContaining([
        ['metrics.noq', 'a quantile metric needs a quantile level strictly between 0 and 1 (for example quantile: 0.5, quantile: 0.9, quantile: 0.99)'],
        ['metrics.noq', 'a quantile metric needs a value expression (for example value: amount)'],
        ['metrics.noq.capping', 'capping does not apply to a quantile metric'],
        ['metrics.m.quantile', 'quantile is only used by quantile metrics'],
      ]),
    );
  });

  it('rejects a level outside (0, 1) at the value', () => {
    const extra = '  q1:\n    type: quantile\n    quantile: 1.5\n    source: web_events\n    value: amount\n';
    expect(diagnosticsOf(withExtra(extra))).toContainEqual({ file: EXTRA, ...locate(`metrics:\n${extra}`, '1.5'), field: 'metrics.q1.quantile', message: 'expected number < 1' });
  });

  it('refuses a quantile metric inside a ratio', () => {
    const extra = '  q1:\n    type: quantile\n    quantile: 0.5\n    source: web_events\n    value: amount\n  r:\n    type: ratio\n    numerator: q1\n    denominator: orders\n';
    expect(diagnosticsOf(withExtra(extra))).toContainEqual(expect.objectContaining({ file: EXTRA, field: 'metrics.r.numerator', message: "numerator 'q1' is a quantile metric; use a proportion, mean or count metric" }));
  });
});

describe('exptrack plan with a quantile primary metric', () => {
  it('refuses before connecting: a quantile’s power needs the density at the quantile', async () => {
    const { compilePlan, PlanError } = await import('../../src/plan/plan-query.js');
    const { getWarehouse } = await import('../../src/warehouse/registry.js');
    const { createSqlRenderer } = await import('../../src/compile/sql-templates.js');
    const extra = '  p90_amount:\n    type: quantile\n    quantile: 0.9\n    source: web_events\n    value: amount\n';
    const [e] = load(withExtra(extra, replaceOnce(BASE_SPEC, 'primary: order_completed', 'primary: p90_amount')));
    const w = getWarehouse('duckdb');
    const renderer = createSqlRenderer(join(REPO_ROOT, 'templates'), 'duckdb', w.dialect, REPO_ROOT);
    expect(() => compilePlan(e, { lookbackDays: 28 } as Parameters<typeof compilePlan>[1], w.dialect, renderer)).toThrow(PlanError);
    expect(() => compilePlan(e, { lookbackDays: 28 } as Parameters<typeof compilePlan>[1], w.dialect, renderer)).toThrow("t1: plan supports proportion, mean and count primary metrics; 'p90_amount' is a quantile metric");
  });
});
