// Spec and model validation: every problem is reported with the file, line, column and field an
// editor needs to jump to it. Positions are computed from the fixture text, never copied from a run.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { getTarget, loadProjectConfig } from '../../src/config/project-config.js';
import { compileProject } from '../../src/compile/compile-project.js';
import type { Diagnostic } from '../../src/spec/diagnostics.js';
import {
  BASE_SPEC,
  REPO_ROOT,
  diagnosticsOf,
  load,
  locate,
  locateAll,
  removeTempProjects,
  replaceOnce,
  tempProject,
} from './fixture.js';

afterAll(removeTempProjects);

/** Minimal models with two units on the exposure source and one on the event source. */
const SOURCES = `sources:
  exposures:
    table: main.exposures
    units: { user: user_id, device: device_id }
    timestamp: exposed_at
    experiment_key: experiment_key
    variant: variant
    columns: { country: string, is_employee: boolean }
    dimensions: [country]
  web_events:
    table: main.web_events
    units: { user: user_id }
    timestamp: event_at
    columns: { event_name: string, amount: number }
`;
const METRICS = `metrics:
  order_completed:
    type: proportion
    source: web_events
    filter: "event_name = 'order_completed'"
    window: { duration: 7d }
  revenue:
    type: mean
    source: web_events
    value: amount
`;
const FILTERS = `filters:
  internal_traffic:
    source: exposures
    where: "is_employee = true"
`;

function minimalModels(overrides: Record<string, string> = {}): Record<string, string> {
  return { 'sources.yaml': SOURCES, 'metrics.yaml': METRICS, 'filters.yaml': FILTERS, ...overrides };
}

/** Runs one spec (specs/s.yaml) against the given models and returns its diagnostics. */
function specDiagnostics(spec: string, models?: Record<string, string>): Diagnostic[] {
  return diagnosticsOf(tempProject({ specs: { 's.yaml': spec }, models }));
}

/** The single diagnostic for `field`, failing with the full list when it is missing or repeated. */
function only(diags: Diagnostic[], field: string): Diagnostic {
  const hits = diags.filter((d) => d.field === field);
  expect(hits, `diagnostics for ${field} in ${JSON.stringify(diags, null, 1)}`).toHaveLength(1);
  return hits[0];
}

describe('malformed YAML', () => {
  it('reports an unclosed flow sequence where the parser finds the mapping resume, and nothing else', () => {
    const spec = replaceOnce(BASE_SPEC, 'primary: order_completed\n', 'primary: order_completed\n  secondary: [revenue_per_user, page_views\n') + 'dimensions: [country]\n';
    const diags = specDiagnostics(spec);
    expect(diags).toHaveLength(1);
    const [d] = diags;
    expect(d.file).toBe(join('specs', 's.yaml'));
    expect(d.field).toBe('');
    expect(d.message.startsWith('malformed YAML')).toBe(true);
    expect(d.message).toMatch(/end with a \]/);
    // The yaml parser detects the unclosed '[' when the block mapping resumes: the first
    // character of the line after the one holding the '['.
    const open = locate(spec, '[revenue_per_user');
    expect({ line: d.line, column: d.column }).toEqual({ line: open.line + 1, column: 1 });
    expect(locate(spec, 'dimensions:')).toEqual({ line: d.line, column: d.column });
  });

  it('reports a repeated key at the second occurrence', () => {
    const spec = `${BASE_SPEC}alpha: 0.05\nalpha: 0.1\n`;
    const [d, ...rest] = specDiagnostics(spec);
    expect(rest).toEqual([]);
    expect(d.message).toBe('malformed YAML: Map keys must be unique');
    expect({ line: d.line, column: d.column }).toEqual(locate(spec, 'alpha: 0.1'));
  });

  it('stops at a malformed models file and names it', () => {
    const broken = `${METRICS}  broken: { type: count, source: web_events\n`;
    const diags = diagnosticsOf(tempProject({ specs: { 's.yaml': BASE_SPEC }, models: minimalModels({ 'metrics.yaml': broken }) }));
    expect(diags).toHaveLength(1);
    expect(diags[0].file).toBe(join('models', 'metrics.yaml'));
    expect(diags[0].message).toMatch(/^malformed YAML: Flow map/);
  });
});

describe('types and unknown fields', () => {
  it('names the expected and actual type at the offending value', () => {
    const spec = replaceOnce(BASE_SPEC, '{ key: a, weight: 0.5 }', '{ key: a, weight: "half" }') + 'alpha: true\n';
    const diags = specDiagnostics(spec);
    expect(diags).toHaveLength(2);
    const weight = only(diags, 'variants[0].weight');
    expect(weight).toEqual({ file: join('specs', 's.yaml'), ...locate(spec, '"half"'), field: 'variants[0].weight', message: 'expected number, got string' });
    const alpha = only(diags, 'alpha');
    expect(alpha).toEqual({ file: join('specs', 's.yaml'), ...locate(spec, 'true'), field: 'alpha', message: 'expected number, got boolean' });
  });

  it('points a misspelt key at the key itself and reports the field it was meant to be as missing', () => {
    const spec = replaceOnce(BASE_SPEC, 'hypothesis: Something', 'hypotesis: Something');
    const diags = specDiagnostics(spec);
    expect(diags).toHaveLength(2);
    expect(only(diags, 'hypotesis')).toMatchObject({ ...locate(spec, 'hypotesis'), message: "unknown field 'hypotesis'" });
    expect(only(diags, 'hypothesis').message).toBe('missing required field (expected string)');
  });

  it('points a misspelt nested key at the key', () => {
    const spec = replaceOnce(BASE_SPEC, '  primary: order_completed\n', '  primary: order_completed\n  secundary: [page_views]\n');
    const [d, ...rest] = specDiagnostics(spec);
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ field: 'metrics.secundary', ...locate(spec, 'secundary'), message: "unknown field 'secundary'" });
  });
});

describe('references between specs and models', () => {
  it('suggests the metric the author probably meant', () => {
    const spec = replaceOnce(BASE_SPEC, 'primary: order_completed', 'primary: order_complete');
    const [d, ...rest] = specDiagnostics(spec);
    expect(rest).toEqual([]);
    expect(d).toEqual({
      file: join('specs', 's.yaml'),
      ...locate(spec, 'order_complete\n'),
      field: 'metrics.primary',
      message: "unknown metric 'order_complete'; did you mean 'order_completed'?",
    });
  });

  it('reports an unknown exposure source with a suggestion', () => {
    const spec = replaceOnce(BASE_SPEC, 'source: exposures,', 'source: exposure,');
    const [d, ...rest] = specDiagnostics(spec);
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ field: 'exposure.source', ...locate(spec, 'exposure,'), message: "unknown source 'exposure'; did you mean 'exposures'?" });
  });

  it('reports unknown audience filters, suggesting only plausible typos', () => {
    const spec = `${BASE_SPEC}audience: { exclude: [internal_trafic, bots] }\n`;
    const diags = specDiagnostics(spec);
    expect(diags).toHaveLength(2);
    expect(only(diags, 'audience.exclude[0]')).toMatchObject({
      ...locate(spec, 'internal_trafic'),
      message: "unknown filter 'internal_trafic'; did you mean 'internal_traffic'?",
    });
    // Far from every known name: list them instead of guessing.
    expect(only(diags, 'audience.exclude[1]')).toMatchObject({ ...locate(spec, 'bots'), message: "unknown filter 'bots' (known: internal_traffic)" });
  });

  it('reports an unknown source in a metric model at the model file', () => {
    const metrics = replaceOnce(METRICS, 'source: web_events\n    filter', 'source: web_event\n    filter');
    const diags = diagnosticsOf(tempProject({ specs: { 's.yaml': BASE_SPEC }, models: minimalModels({ 'metrics.yaml': metrics }) }));
    expect(diags).toEqual([
      {
        file: join('models', 'metrics.yaml'),
        ...locate(metrics, 'web_event\n'),
        field: 'metrics.order_completed.source',
        message: "unknown source 'web_event'; did you mean 'web_events'?",
      },
    ]);
  });

  it('rejects a metric used in two roles at its second use', () => {
    const spec = replaceOnce(BASE_SPEC, '  primary: order_completed\n', '  primary: order_completed\n  secondary: [revenue, order_completed]\n');
    const [d, ...rest] = specDiagnostics(spec, minimalModels());
    expect(rest).toEqual([]);
    expect(d).toMatchObject({
      field: 'metrics.secondary[1]',
      ...locate(spec, 'order_completed]'),
      message: "metric 'order_completed' is already listed as primary",
    });
  });

  it('rejects a dimension the exposure source does not declare', () => {
    const spec = `${BASE_SPEC}dimensions: [country, device_id]\n`;
    const [d, ...rest] = specDiagnostics(spec, minimalModels());
    expect(rest).toEqual([]);
    expect(d).toMatchObject({
      field: 'dimensions[1]',
      ...locate(spec, 'device_id'),
      message: "unknown dimension 'device_id' of source 'exposures' (known: country)",
    });
  });

  it('rejects a unit the metric source has no id column for, at the metric reference', () => {
    // The exposure source has a device id, the metric's source does not.
    const spec = replaceOnce(BASE_SPEC, 'unit: user', 'unit: device');
    const [d, ...rest] = specDiagnostics(spec, minimalModels());
    expect(rest).toEqual([]);
    expect(d).toMatchObject({
      field: 'metrics.primary',
      ...locate(spec, 'order_completed'),
      message: "source 'web_events' (metric 'order_completed') has no id column for unit 'device' (it has: user)",
    });
  });

  it('reports a metric defined twice with the position of the first definition', () => {
    const more = `metrics:\n  revenue:\n    type: count\n    source: web_events\n`;
    const diags = diagnosticsOf(tempProject({ specs: { 's.yaml': BASE_SPEC }, models: minimalModels({ 'more.yaml': more }) }));
    const first = locate(METRICS, 'revenue:');
    expect(diags).toEqual([
      {
        file: join('models', 'more.yaml'),
        ...locate(more, 'revenue:'),
        field: 'metrics.revenue',
        message: `duplicate metric 'revenue' (first defined at ${join('models', 'metrics.yaml')}:${first.line}:${first.column})`,
      },
    ]);
  });
});

describe('expressions in models', () => {
  const withMetric = (body: string) => minimalModels({ 'metrics.yaml': `${METRICS}${body}` });

  it('points an unknown column at its offset inside a double-quoted string', () => {
    const body = `  bad:\n    type: count\n    source: web_events\n    filter: "event_name = 'a' and evnt_name = 'b'"\n`;
    const models = withMetric(body);
    const diags = diagnosticsOf(tempProject({ specs: { 's.yaml': BASE_SPEC }, models }));
    expect(diags).toEqual([
      {
        file: join('models', 'metrics.yaml'),
        ...locate(models['metrics.yaml'], 'evnt_name'),
        field: 'metrics.bad.filter',
        message: "unknown column 'evnt_name' in source 'web_events'; did you mean 'event_name'?",
      },
    ]);
  });

  it('points every unknown column of a plain scalar, including a repeated one, at its own occurrence', () => {
    const body = `  bad:\n    type: mean\n    source: web_events\n    value: amont + amont\n`;
    const models = withMetric(body);
    const diags = diagnosticsOf(tempProject({ specs: { 's.yaml': BASE_SPEC }, models }));
    const [first, second] = locateAll(models['metrics.yaml'], 'amont');
    expect(second).toEqual({ line: first.line, column: first.column + 'amont + '.length });
    expect(diags.map((d) => [d.field, d.line, d.column])).toEqual([
      ['metrics.bad.value', first.line, first.column],
      ['metrics.bad.value', second.line, second.column],
    ]);
  });

  it('accounts for doubled quotes in a single-quoted YAML string', () => {
    const body = `  bad:\n    type: count\n    source: web_events\n    filter: 'event_name = ''it''''s'' and evnt = 1'\n`;
    const models = withMetric(body);
    const diags = diagnosticsOf(tempProject({ specs: { 's.yaml': BASE_SPEC }, models }));
    expect(diags).toHaveLength(1);
    expect(diags[0]).toMatchObject({ field: 'metrics.bad.filter', ...locate(models['metrics.yaml'], 'evnt') });
    expect(diags[0].message).toMatch(/^unknown column 'evnt'/);
  });

  it('points into a folded block scalar spanning several lines', () => {
    const body = `  bad:\n    type: count\n    source: web_events\n    filter: >-\n      event_name = 'a'\n      or evnt = 'b'\n`;
    const models = withMetric(body);
    const diags = diagnosticsOf(tempProject({ specs: { 's.yaml': BASE_SPEC }, models }));
    expect(diags).toHaveLength(1);
    expect(diags[0]).toMatchObject({ field: 'metrics.bad.filter', ...locate(models['metrics.yaml'], 'evnt') });
  });

  it('rejects a filter that is not a condition, at the filter', () => {
    const body = `  bad:\n    type: count\n    source: web_events\n    filter: amount\n`;
    const models = withMetric(body);
    const diags = diagnosticsOf(tempProject({ specs: { 's.yaml': BASE_SPEC }, models }));
    expect(diags).toEqual([
      {
        file: join('models', 'metrics.yaml'),
        ...locate(models['metrics.yaml'], 'amount\n', 'bad:'),
        field: 'metrics.bad.filter',
        message: "expected a condition (true or false), such as event_name = 'purchase'",
      },
    ]);
  });

  it('rejects an unknown column in an audience filter', () => {
    const filters = replaceOnce(FILTERS, 'is_employee = true', 'is_employee = true or is_bot = true');
    const diags = diagnosticsOf(tempProject({ specs: { 's.yaml': BASE_SPEC }, models: minimalModels({ 'filters.yaml': filters }) }));
    expect(diags).toHaveLength(1);
    expect(diags[0]).toMatchObject({ file: join('models', 'filters.yaml'), field: 'filters.internal_traffic.where', ...locate(filters, 'is_bot') });
    expect(diags[0].message).toMatch(/^unknown column 'is_bot'/);
  });
});

describe('variants, dates and windows', () => {
  it('rejects duplicate variant keys at the repeat', () => {
    const spec = replaceOnce(BASE_SPEC, '{ key: b, weight: 0.5 }', '{ key: a, weight: 0.5 }');
    const [d, ...rest] = specDiagnostics(spec);
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ field: 'variants[1].key', message: "duplicate variant key 'a' (also variants[0])" });
    // The second `- { key: a` line; the position is that of its `a`.
    const second = locateAll(spec, '{ key: a')[1];
    expect({ line: d.line, column: d.column }).toEqual({ line: second.line, column: second.column + '{ key: '.length });
  });

  it('rejects weights that do not sum to 1 and says what they sum to', () => {
    const spec = replaceOnce(BASE_SPEC, '{ key: b, weight: 0.5 }', '{ key: b, weight: 0.4 }');
    const [d, ...rest] = specDiagnostics(spec);
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ field: 'variants', message: 'variant weights sum to 0.9; expected 1', ...locate(spec, '- { key: a') });
  });

  it('rounds away floating-point noise in the reported sum', () => {
    expect(0.6 + 0.3).not.toBe(0.9); // the raw sum is 0.8999999999999999
    const spec = replaceOnce(replaceOnce(BASE_SPEC, 'key: a, weight: 0.5', 'key: a, weight: 0.6'), 'key: b, weight: 0.5', 'key: b, weight: 0.3');
    const [d, ...rest] = specDiagnostics(spec);
    expect(rest).toEqual([]);
    expect(d.message).toBe('variant weights sum to 0.9; expected 1');
  });

  it('accepts weights whose floating-point sum is within rounding of 1', () => {
    expect([0.7, 0.2, 0.1].reduce((a, b) => a + b, 0)).not.toBe(1); // 0.9999999999999999
    const spec = replaceOnce(
      BASE_SPEC,
      '  - { key: a, weight: 0.5 }\n  - { key: b, weight: 0.5 }\n',
      '  - { key: a, weight: 0.7 }\n  - { key: b, weight: 0.2 }\n  - { key: c, weight: 0.1 }\n',
    );
    expect(load(tempProject({ specs: { 's.yaml': spec } })).map((e) => e.variants.map((v) => v.key))).toEqual([['a', 'b', 'c']]);
  });

  it('rejects an end that is not after the start, at the end', () => {
    const spec = `${BASE_SPEC}end: 2026-10-01\n`;
    const [d, ...rest] = specDiagnostics(spec);
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ field: 'end', ...locate(spec, '2026-10-01'), message: 'end 2026-10-01 is not after start 2026-10-04' });
  });

  it('rejects a negative window delay with the non-negative duration message', () => {
    const metrics = replaceOnce(METRICS, 'window: { duration: 7d }', 'window: { delay: -1d, duration: 7d }');
    const diags = diagnosticsOf(tempProject({ specs: { 's.yaml': BASE_SPEC }, models: minimalModels({ 'metrics.yaml': metrics }) }));
    expect(diags).toEqual([
      {
        file: join('models', 'metrics.yaml'),
        ...locate(metrics, '-1d'),
        field: 'metrics.order_completed.window.delay',
        message: 'expected a non-negative duration such as 30m, 36h, 7d or 2w',
      },
    ]);
  });
});

describe('names and expressions carrying SQL', () => {
  const NAME_MESSAGE = 'expected a name of lowercase letters, digits and underscores, starting with a letter (at most 63 characters)';

  it('rejects an experiment id carrying SQL', () => {
    const spec = replaceOnce(BASE_SPEC, 'id: t1', `id: "x'; drop table t; --"`);
    const [d, ...rest] = specDiagnostics(spec);
    expect(rest).toEqual([]);
    expect(d).toEqual({ file: join('specs', 's.yaml'), ...locate(spec, `"x'`), field: 'id', message: NAME_MESSAGE });
  });

  it('rejects a variant key with a quote', () => {
    const spec = replaceOnce(BASE_SPEC, 'key: b,', `key: "b'--",`);
    const [d, ...rest] = specDiagnostics(spec);
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ field: 'variants[1].key', ...locate(spec, `"b'--"`), message: 'expected a variant key of letters, digits, _ . or -' });
  });

  it('rejects a metric name with a quote in models, at the name', () => {
    const metrics = `${METRICS}  "it's":\n    type: count\n    source: web_events\n`;
    const diags = diagnosticsOf(tempProject({ specs: { 's.yaml': BASE_SPEC }, models: minimalModels({ 'metrics.yaml': metrics }) }));
    expect(diags).toEqual([{ file: join('models', 'metrics.yaml'), ...locate(metrics, `"it's"`), field: "metrics.it's", message: NAME_MESSAGE }]);
  });

  it('rejects a column name carrying SQL in a source, at the name', () => {
    const sources = replaceOnce(SOURCES, '{ event_name: string, amount: number }', '{ event_name: string, "amount; drop table t": number }');
    // Only this file's diagnostics: the invalid file's sources are dropped, so metrics.yaml's
    // references to web_events come back as unknown sources as well.
    const diags = diagnosticsOf(tempProject({ specs: { 's.yaml': BASE_SPEC }, models: minimalModels({ 'sources.yaml': sources }) }))
      .filter((d) => d.file === join('models', 'sources.yaml'));
    expect(diags).toEqual([
      {
        file: join('models', 'sources.yaml'),
        ...locate(sources, '"amount; drop'),
        field: 'sources.web_events.columns.amount; drop table t',
        message: 'expected a column name of letters, digits and underscores',
      },
    ]);
  });

  it('rejects a table name carrying SQL', () => {
    const sources = replaceOnce(SOURCES, 'table: main.web_events', 'table: "main.web_events; drop table t"');
    const diags = diagnosticsOf(tempProject({ specs: { 's.yaml': BASE_SPEC }, models: minimalModels({ 'sources.yaml': sources }) }))
      .filter((d) => d.file === join('models', 'sources.yaml'));
    expect(diags).toEqual([
      {
        file: join('models', 'sources.yaml'),
        ...locate(sources, '"main.web_events; drop'),
        field: 'sources.web_events.table',
        message: 'expected a table name such as events, schema.events or project.dataset.events',
      },
    ]);
  });

  it('rejects a statement smuggled into a filter expression, at the semicolon', () => {
    const metrics = replaceOnce(METRICS, `filter: "event_name = 'order_completed'"`, `filter: "event_name = 'a'; drop table t; --"`);
    const diags = diagnosticsOf(tempProject({ specs: { 's.yaml': BASE_SPEC }, models: minimalModels({ 'metrics.yaml': metrics }) }));
    expect(diags).toHaveLength(1);
    expect(diags[0]).toMatchObject({ file: join('models', 'metrics.yaml'), field: 'metrics.order_completed.filter', ...locate(metrics, '; drop') });
    expect(diags[0].message).toMatch(/^invalid expression: unexpected ';'/);
  });

  it('compiles an experiment key with a quote, only ever as an escaped literal', () => {
    const key = `o'brien'); drop table exposures; --`;
    const spec = replaceOnce(BASE_SPEC, 'experiment_key: t1 }', `experiment_key: "${key}" }`);
    const root = tempProject({ specs: { 's.yaml': spec } });
    expect(load(root)[0].exposure.experimentKey).toBe(key);
    const config = loadProjectConfig(root);
    const result = compileProject(config, getTarget(config, undefined), [], '2026-11-01T00:00:00Z');
    const steps = result.compiled[0].steps;
    const escaped = `'${key.replaceAll("'", "''")}'`;
    expect(steps.filter((s) => s.sql.includes(escaped)).map((s) => s.name)).toEqual(['exposures', 'metrics', 'fingerprints', 'daily', 'exposure_quality']);
    for (const s of steps) {
      // With string literals and comments taken out, no quote and nothing of the key may remain.
      const outside = sqlCode(s.sql);
      expect(outside, s.name).not.toContain("'");
      expect(outside.toLowerCase(), s.name).not.toContain('drop table');
      expect(outside, s.name).not.toContain('brien');
    }
  });
});

/**
 * The SQL a warehouse would execute as code: left to right, '...' literals (with '' escapes)
 * become <literal>, "..." identifiers are kept, -- comments are dropped. An unterminated
 * literal is kept as is, so a stray quote stays visible.
 */
function sqlCode(sql: string): string {
  let out = '';
  let i = 0;
  while (i < sql.length) {
    if (sql.startsWith('--', i)) {
      const nl = sql.indexOf('\n', i);
      i = nl < 0 ? sql.length : nl;
    } else if (sql[i] === "'" || sql[i] === '"') {
      const q = sql[i];
      let j = i + 1;
      for (;;) {
        const k = sql.indexOf(q, j);
        if (k < 0) {
          j = -1;
          break;
        }
        if (sql[k + 1] === q) j = k + 2;
        else {
          j = k + 1;
          break;
        }
      }
      if (j < 0) return out + sql.slice(i);
      out += q === "'" ? '<literal>' : sql.slice(i, j);
      i = j;
    } else out += sql[i++];
  }
  return out;
}

describe('every problem at once', () => {
  it('reports four reference problems of one spec together', () => {
    let spec = replaceOnce(BASE_SPEC, 'primary: order_completed', 'primary: order_complete');
    spec = replaceOnce(spec, '{ key: b, weight: 0.5 }', '{ key: a, weight: 0.5 }');
    spec += 'end: 2026-10-04\naudience: { exclude: [internal_trafic] }\n';
    const diags = specDiagnostics(spec);
    expect(diags.map((d) => d.field).sort()).toEqual(['audience.exclude[0]', 'end', 'metrics.primary', 'variants[1].key']);
    expect(new Set(diags.map((d) => d.file))).toEqual(new Set([join('specs', 's.yaml')]));
  });

  it('reports four shape problems of one spec together', () => {
    let spec = replaceOnce(BASE_SPEC, '{ key: a, weight: 0.5 }', '{ key: a, weight: "half" }');
    spec = replaceOnce(spec, 'start: 2026-10-04', 'start: yesterday');
    spec = replaceOnce(spec, 'id: t1', 'id: T1');
    spec += 'alpah: 0.1\n';
    const diags = specDiagnostics(spec);
    expect(diags.map((d) => d.field).sort()).toEqual(['alpah', 'id', 'start', 'variants[0].weight']);
    expect(only(diags, 'start')).toMatchObject({ ...locate(spec, 'yesterday') });
    expect(only(diags, 'start').message).toMatch(/^expected an ISO-8601 date or timestamp/);
  });

  it('reports unknown names alongside shape problems of the same spec', () => {
    let spec = replaceOnce(BASE_SPEC, '{ key: a, weight: 0.5 }', '{ key: a, weight: "half" }');
    spec = replaceOnce(spec, 'primary: order_completed', 'primary: order_complete');
    spec += 'audience: { exclude: [internal_trafic] }\n';
    const diags = specDiagnostics(spec);
    expect(diags.map((d) => d.field).sort()).toEqual(['audience.exclude[0]', 'metrics.primary', 'variants[0].weight']);
    expect(only(diags, 'metrics.primary')).toMatchObject({
      ...locate(spec, 'order_complete'),
      message: "unknown metric 'order_complete'; did you mean 'order_completed'?",
    });
  });

  it('does not add follow-on "unknown source" errors when a models file has the wrong shape', () => {
    const broken = SOURCES.replace('table: main.web_events', 'table: 42');
    const diags = specDiagnostics(BASE_SPEC, minimalModels({ 'sources.yaml': broken }));
    expect(diags.length).toBeGreaterThan(0);
    expect(diags.every((d) => d.file === join('models', 'sources.yaml')), JSON.stringify(diags)).toBe(true);
    expect(diags.some((d) => d.message.startsWith('unknown source'))).toBe(false);
  });

  it('reports problems of every spec file, not just the first', () => {
    const a = replaceOnce(BASE_SPEC, 'primary: order_completed', 'primary: nope_metric');
    const b = replaceOnce(replaceOnce(BASE_SPEC, 'id: t1', 'id: t2'), 'start: 2026-10-04', 'start: 2026-13-40');
    const diags = diagnosticsOf(tempProject({ specs: { 'a.yaml': a, 'b.yaml': b, 'ok.yaml': replaceOnce(BASE_SPEC, 'id: t1', 'id: t3') } }));
    expect(diags.map((d) => `${d.file} ${d.field}`).sort()).toEqual([`${join('specs', 'a.yaml')} metrics.primary`, `${join('specs', 'b.yaml')} start`]);
  });

  it('rejects two specs with the same id, naming the other file', () => {
    const diags = diagnosticsOf(tempProject({ specs: { 'a.yaml': BASE_SPEC, 'b.yaml': BASE_SPEC } }));
    expect(diags).toEqual([{ file: join('specs', 'b.yaml'), ...locate(BASE_SPEC, 't1\n'), field: 'id', message: `experiment id 't1' is also used by ${join('specs', 'a.yaml')}` }]);
  });
});

describe('the shipped demo project', () => {
  it('loads with zero diagnostics, one experiment per spec file', () => {
    const specFiles = readdirSync(join(REPO_ROOT, 'specs')).filter((f) => /\.ya?ml$/.test(f));
    const ids = specFiles.map((f) => (parseYaml(readFileSync(join(REPO_ROOT, 'specs', f), 'utf8')) as { id: string }).id).sort();
    expect(ids.length).toBeGreaterThan(0);
    const experiments = load(REPO_ROOT);
    expect(experiments.map((e) => e.id)).toEqual(ids);
  });

  it('loads its project configuration', () => {
    const config = loadProjectConfig(REPO_ROOT);
    expect(getTarget(config, undefined).type).toBe('duckdb');
  });
});
