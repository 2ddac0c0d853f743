// Validation of ratio, paired and capped metrics and of the spec's analysis settings: each mistake is
// reported at its own file, line, column and field.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BASE_SPEC, REPO_ROOT, diagnosticsOf, load, locate, removeTempProjects, replaceOnce, tempProject } from './fixture.js';

afterAll(removeTempProjects);

const repoModels = Object.fromEntries(['sources.yaml', 'metrics.yaml', 'filters.yaml'].map((f) => [f, readFileSync(join(REPO_ROOT, 'models', f), 'utf8')]));
const withExtra = (extra: string, spec = BASE_SPEC) => tempProject({ specs: { 's.yaml': spec }, models: { ...repoModels, 'extra.yaml': `metrics:\n${extra}` } });
const EXTRA = join('models', 'extra.yaml');

describe('ratio, paired and capped metrics', () => {
  it('resolves a ratio into numerator and denominator components, each with its own source and window', () => {
    const spec = replaceOnce(BASE_SPEC, 'primary: order_completed', 'primary: revenue_per_order');
    const [e] = load(tempProject({ specs: { 's.yaml': spec } }));
    const m = e.metrics[0];
    expect(m.kind).toBe('ratio');
    expect(m.numerator.name).toBe('revenue_per_user');
    expect(m.numerator.capping).toEqual({ kind: 'percentile', percentile: 0.99, ignoreZeros: false });
    expect(m.denominator!.name).toBe('orders');
    expect(m.denominator!.windowDurationSeconds).toBe(7 * 86_400);
  });

  it('names a missing numerator and an unknown denominator', () => {
    const extra = '  aov:\n    type: ratio\n    denominator: ordrs\n';
    const diags = diagnosticsOf(withExtra(extra));
    expect(diags).toContainEqual(expect.objectContaining({ file: EXTRA, field: 'metrics.aov', message: 'a ratio metric needs a numerator (the name of a proportion, mean or count metric)' }));
    expect(diags).toContainEqual({ file: EXTRA, ...locate(`metrics:\n${extra}`, 'ordrs'), field: 'metrics.aov.denominator', message: "unknown metric 'ordrs'; did you mean 'orders'?" });
  });

  it('rejects a ratio of ratios and a ratio with its own source', () => {
    const extra = '  nested:\n    type: ratio\n    numerator: revenue_per_order\n    denominator: orders\n    source: web_events\n';
    const diags = diagnosticsOf(withExtra(extra));
    const text = `metrics:\n${extra}`;
    expect(diags).toContainEqual({ file: EXTRA, ...locate(text, 'revenue_per_order'), field: 'metrics.nested.numerator', message: "numerator 'revenue_per_order' is a ratio metric; use a proportion, mean or count metric" });
    expect(diags).toContainEqual({ file: EXTRA, ...locate(text, 'web_events'), field: 'metrics.nested.source', message: 'a ratio metric takes source from its numerator and denominator metrics; set it there' });
  });

  it('requires a baseline for a paired metric and refuses one elsewhere', () => {
    const extra = '  lat:\n    type: paired\n    source: web_events\n    value: amount\n  pv:\n    type: mean\n    source: web_events\n    value: amount\n    baseline: amount\n';
    const diags = diagnosticsOf(withExtra(extra));
    const text = `metrics:\n${extra}`;
    expect(diags).toContainEqual(expect.objectContaining({ file: EXTRA, field: 'metrics.lat', message: 'a paired metric needs a baseline expression (the control outcome of the same unit), or a source with pair_key' }));
    expect(diags).toContainEqual({ file: EXTRA, ...locate(text, 'amount\n', '    baseline: '), field: 'metrics.pv.baseline', message: 'baseline is only used by paired metrics' });
  });

  it('pairs by pair id over a source with pair_key: no baseline needed, and one given is refused at its line', () => {
    const text =
      'sources:\n  shadow:\n    table: main.shadow\n    units: { user: user_id }\n    timestamp: event_at\n    pair_key: request_id\n    columns: { latency_ms: number }\n' +
      'metrics:\n  lat:\n    type: paired\n    source: shadow\n    value: latency_ms\n  lat2:\n    type: paired\n    source: shadow\n    value: latency_ms\n    baseline: latency_ms\n';
    const diags = diagnosticsOf(tempProject({ specs: { 's.yaml': BASE_SPEC }, models: { ...repoModels, 'extra.yaml': text } }));
    expect(diags.filter((d) => d.field.startsWith('metrics.lat') || d.field.startsWith('sources.shadow'))).toEqual([
      {
        file: EXTRA,
        ...locate(text, 'latency_ms\n', '    baseline: '),
        field: 'metrics.lat2.baseline',
        message: "source 'shadow' has pair_key: each variant's value is paired with control's value of the same request_id, so baseline is not used",
      },
    ]);
  });

  it('needs exactly one of percentile or value in capping, and no capping on proportions', () => {
    const extra = "  both:\n    type: mean\n    source: web_events\n    value: amount\n    capping: { percentile: 0.99, value: 100 }\n  prop:\n    type: proportion\n    source: web_events\n    capping: { value: 1 }\n";
    const diags = diagnosticsOf(withExtra(extra));
    expect(diags.map((d) => [d.field, d.message])).toEqual(
      expect.arrayContaining([
        ['metrics.both.capping', 'capping needs exactly one of percentile (for example 0.99) or value'],
        ['metrics.prop.capping', 'capping does not apply to a proportion metric'],
      ]),
    );
  });

  it('rejects a capping percentile outside (0, 1) at the value', () => {
    const extra = '  big:\n    type: mean\n    source: web_events\n    value: amount\n    capping: { percentile: 1.5 }\n';
    const diags = diagnosticsOf(withExtra(extra));
    expect(diags).toEqual([{ file: EXTRA, ...locate(`metrics:\n${extra}`, '1.5'), field: 'metrics.big.capping.percentile', message: 'expected number < 1' }]);
  });

  it('rejects a misspelt analysis setting at the key and a bad lookback at its value', () => {
    const spec = `${BASE_SPEC}analysis:\n  sequental: true\n  cuped: { lookback: 14 days }\n`;
    const diags = diagnosticsOf(tempProject({ specs: { 's.yaml': spec } }));
    expect(diags).toContainEqual(expect.objectContaining({ file: join('specs', 's.yaml'), ...locate(spec, 'sequental'), field: 'analysis.sequental' }));
    expect(diags).toContainEqual(expect.objectContaining({ ...locate(spec, '14 days'), field: 'analysis.cuped.lookback' }));
  });

  it('turns sequential testing on for a scheduled spec unless the spec turns it off', () => {
    const [daily] = load(tempProject({ specs: { 's.yaml': `${BASE_SPEC}analysis: { schedule: daily }\n` } }));
    expect(daily.analysis.sequential).toBe(true);
    const [off] = load(tempProject({ specs: { 's.yaml': `${BASE_SPEC}analysis: { schedule: daily, sequential: false }\n` } }));
    expect(off.analysis.sequential).toBe(false);
    const [plain] = load(tempProject({ specs: { 's.yaml': BASE_SPEC } }));
    expect(plain.analysis).toMatchObject({ sequential: false, cupedLookbackSeconds: 14 * 86_400, correction: 'holm', test: 'two_sided', dimensionValues: 10, prior: null });
  });
});
