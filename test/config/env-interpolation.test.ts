// `${ENV_VAR}` in target settings: replaced from the environment; an unset variable is an error with
// its position only when that target is used, so an unused target never stops a run.
import { afterAll, describe, expect, it } from 'vitest';
import { getTarget, loadProjectConfig } from '../../src/config/project-config.js';
import { ValidationError } from '../../src/spec/diagnostics.js';
import { normalizeNumericText } from '../../src/warehouse/normalize.js';
import { locate, removeTempProjects, tempProject } from '../spec/fixture.js';

afterAll(removeTempProjects);

const CONFIG = `name: t
default_target: local
targets:
  local:
    type: duckdb
    path: \${EXPTRACK_TEST_DIR}/demo.duckdb
  cloud:
    type: postgres
    host: \${EXPTRACK_TEST_UNSET_HOST}
    database: analytics
    user: exptrack
    application_name: "costs $\${USD}"
`;

describe('${ENV_VAR} in exptrack.yaml', () => {
  it('replaces variables in the target that is used, and leaves an unused target with an unset one alone', () => {
    const config = loadProjectConfig(tempProject({ config: CONFIG }), { EXPTRACK_TEST_DIR: '/data' });
    expect(getTarget(config, undefined).settings.path).toBe('/data/demo.duckdb');
  });

  it('names the unset variable at its setting when that target is used', () => {
    const config = loadProjectConfig(tempProject({ config: CONFIG }), { EXPTRACK_TEST_DIR: '/data' });
    let error: unknown;
    try {
      getTarget(config, 'cloud');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).diagnostics).toEqual([
      {
        file: 'exptrack.yaml',
        ...locate(CONFIG, '${EXPTRACK_TEST_UNSET_HOST}'),
        field: 'targets.cloud.host',
        message: "environment variable EXPTRACK_TEST_UNSET_HOST is not set (target 'cloud' reads it)",
      },
    ]);
  });

  it('keeps a literal ${ written as $${', () => {
    const config = loadProjectConfig(tempProject({ config: CONFIG }), { EXPTRACK_TEST_DIR: '/d', EXPTRACK_TEST_UNSET_HOST: 'h', USD: 'x' });
    expect(getTarget(config, 'cloud').settings.application_name).toBe('costs ${USD}');
  });
});

describe('numeric text from drivers', () => {
  it('becomes a number only when nothing is lost', () => {
    expect(normalizeNumericText('42')).toBe(42);
    expect(normalizeNumericText('-9007199254740991')).toBe(-9007199254740991);
    expect(normalizeNumericText('9223372036854775807')).toBe('9223372036854775807'); // INT64 max stays exact text
    expect(normalizeNumericText('1234.500000')).toBe(1234.5);
    expect(normalizeNumericText('0.000001')).toBe(0.000001);
    expect(normalizeNumericText('123456789012.3456789')).toBe('123456789012.3456789'); // 19 significant digits
    expect(normalizeNumericText('1E+3')).toBe(1000);
    expect(() => normalizeNumericText('12abc')).toThrow('not a decimal number');
  });
});
