// Inputs that parse but cannot be meant, and YAML that would exhaust memory or the stack: each is
// refused with file, line and column. Positions come from the fixture text, never from a run.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileProject } from '../../src/compile/compile-project.js';
import { getTarget, loadProjectConfig } from '../../src/config/project-config.js';
import { ValidationError } from '../../src/spec/diagnostics.js';
import { MAX_NESTING } from '../../src/spec/yaml-limits.js';
import { BASE_SPEC, diagnosticsOf, load, locate, removeTempProjects, replaceOnce, tempProject } from './fixture.js';

afterAll(removeTempProjects);

const specWith = (text: string) => tempProject({ specs: { 't1.yaml': text } });
const one = (text: string) => {
  const d = diagnosticsOf(specWith(text));
  expect(d.length).toBeGreaterThan(0);
  for (const x of d) {
    expect(x.file).toBe('specs/t1.yaml');
    expect(x.line).toBeGreaterThanOrEqual(1);
    expect(x.column).toBeGreaterThanOrEqual(1);
  }
  return d;
};

describe('impossible dates', () => {
  for (const bad of ['2026-02-30', '2026-04-31', '2025-02-29', '2026-13-01', '2026-10-04T24:00:00Z', '2026-10-04T10:60:00Z', '0999-01-01']) {
    it(`start: ${bad} is refused at its position`, () => {
      const text = replaceOnce(BASE_SPEC, 'start: 2026-10-04', `start: ${bad}`);
      const [d] = one(text);
      expect(d).toMatchObject({ field: 'start', ...locate(text, bad) });
      expect(d.message).toContain('not a real date');
    });
  }
  it('a leap day in a leap year is a real date', () => {
    expect(load(specWith(replaceOnce(BASE_SPEC, 'start: 2026-10-04', 'start: 2028-02-29')))[0].start).toBe('2028-02-29T00:00:00.000Z');
  });
});

describe('durations, weights', () => {
  it('a duration beyond ten years is refused at its position in the model', () => {
    const root = tempProject({ specs: { 't1.yaml': BASE_SPEC } });
    const path = join(root, 'models', 'metrics.yaml');
    const text = readFileSync(path, 'utf8').replace('duration: 7d', 'duration: 100000000000d');
    writeFileSync(path, text);
    const d = diagnosticsOf(root);
    expect(d[0]).toMatchObject({ file: 'models/metrics.yaml', ...locate(text, '100000000000d') });
    expect(d[0].message).toContain('longer than 3650d');
  });
  it('3650d is accepted', () => {
    const root = tempProject({ specs: { 't1.yaml': BASE_SPEC } });
    const path = join(root, 'models', 'metrics.yaml');
    writeFileSync(path, readFileSync(path, 'utf8').replace('duration: 7d', 'duration: 3650d'));
    expect(load(root)).toHaveLength(1);
  });
  it('a weight below the documented minimum (0.001) is refused; 0.001 is accepted', () => {
    const tiny = replaceOnce(replaceOnce(BASE_SPEC, '{ key: a, weight: 0.5 }', '{ key: a, weight: 1e-300 }'), '{ key: b, weight: 0.5 }', '{ key: b, weight: 1 }');
    const [d] = one(tiny);
    expect(d).toMatchObject({ field: 'variants[0].weight', ...locate(tiny, '1e-300') });
    expect(d.message).toContain('at least 0.001');
    const least = replaceOnce(replaceOnce(BASE_SPEC, '{ key: a, weight: 0.5 }', '{ key: a, weight: 0.001 }'), '{ key: b, weight: 0.5 }', '{ key: b, weight: 0.999 }');
    expect(load(specWith(least))).toHaveLength(1);
  });
});

describe('YAML the project does not accept', () => {
  for (const tagged of ['!!null x', '!!bool yes', '!foo bar', '!!str Test']) {
    it(`a tag (${tagged}) is refused at its position, not resolved or ignored`, () => {
      const text = replaceOnce(BASE_SPEC, 'name: Test experiment', `name: ${tagged}`);
      const [d] = one(text);
      expect(d).toMatchObject(locate(text, tagged));
      expect(d.message).toMatch(/YAML tag \S+ is not supported/);
    });
  }

  it('an alias bomb is refused at an alias, quickly and without expanding it', () => {
    const lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'];
    for (let i = 1; i < 20; i++) lines.push(`a${i}: &a${i} [${Array.from({ length: 9 }, () => `*a${i - 1}`).join(', ')}]`);
    const text = `${lines.join('\n')}\n${BASE_SPEC}`;
    const d = one(text);
    expect(d[0].message).toContain('alias bomb');
    expect(d[0].line).toBeGreaterThan(1);
  });

  it('an alias to no anchor is refused at the alias', () => {
    const text = replaceOnce(BASE_SPEC, 'name: Test experiment', 'name: *nowhere');
    const [d] = one(text);
    expect(d).toMatchObject(locate(text, '*nowhere'));
    expect(d.message).toContain('*nowhere refers to no anchor');
  });

  it(`nesting deeper than ${MAX_NESTING} levels is refused at the first level too deep, in flow and block style`, () => {
    const flow = replaceOnce(BASE_SPEC, 'name: Test experiment', `name: ${'['.repeat(500)}1${']'.repeat(500)}`);
    const [d] = one(flow);
    expect(d.message).toContain(`nested more than ${MAX_NESTING} levels deep`);
    expect(d.line).toBe(locate(flow, 'name:').line);
    const block = `${BASE_SPEC}x:\n${Array.from({ length: 300 }, (_, i) => `${' '.repeat(i + 1)}k${i}:`).join('\n')} 1\n`;
    expect(one(block)[0].message).toContain('nested more than');
  });

  it('an empty or binary file is refused with its location', () => {
    expect(one('')[0].line).toBe(1);
    expect(one(Buffer.from([0, 1, 2, 0xff, 0xfe, 0x80, 0x3a]).toString('latin1'))[0].line).toBe(1);
  });
});

describe('start after the as-of time', () => {
  it('is refused at `start`, through compile', () => {
    const text = replaceOnce(BASE_SPEC, 'start: 2026-10-04', 'start: 2026-12-01');
    const root = tempProject({ specs: { 't1.yaml': text }, config: 'repo' });
    const config = loadProjectConfig(root);
    let error: unknown;
    try {
      compileProject(config, getTarget(config, undefined), [], config.asOf!);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    const [d] = (error as ValidationError).diagnostics;
    expect(d).toMatchObject({ file: 'specs/t1.yaml', field: 'start', ...locate(text, '2026-12-01') });
    expect(d.message).toContain('is not before the as-of time');
  });
});

describe('expressions', () => {
  it("a line break inside a quoted string of a filter is refused at the filter, not by the warehouse dialect", () => {
    const root = tempProject({ specs: { 't1.yaml': BASE_SPEC.replace('metrics:', 'audience: { exclude: [internal_traffic] }\nmetrics:') } });
    const path = join(root, 'models', 'filters.yaml');
    const text = readFileSync(path, 'utf8').replace('where: "is_employee = true"', `where: "country = 'a\\nb'"`);
    writeFileSync(path, text);
    const [d] = diagnosticsOf(root);
    expect(d).toMatchObject({ file: 'models/filters.yaml', field: 'filters.internal_traffic.where' });
    expect(d.line).toBe(locate(text, 'country').line);
    expect(d.message).toContain('a line break inside a quoted string is not allowed');
  });
});
