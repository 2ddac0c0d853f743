// The write-back settings of a target (results_table, decisions_table, concurrency): accepted on every
// warehouse, defaults when absent, and a bad table name is named with its line, column and field.
import { afterAll, describe, expect, it } from 'vitest';
import { getTarget, loadProjectConfig } from '../../src/config/project-config.js';
import { resolveConcurrency } from '../../src/run/run-project.js';
import { ValidationError } from '../../src/spec/diagnostics.js';
import { getWarehouse } from '../../src/warehouse/registry.js';
import { writeBackLocation } from '../../src/warehouse-results/warehouse-write.js';
import { removeTempProjects, tempProject } from '../spec/fixture.js';

afterAll(removeTempProjects);

const config = (extra: string) => `name: fixture
default_target: local
targets:
  local:
    type: duckdb
    path: target/demo.duckdb
${extra}  bq:
    type: bigquery
    project: p
`;

describe('write-back target settings', () => {
  it('defaults: nothing written without write_schema; default table names and concurrency by warehouse', () => {
    const c = loadProjectConfig(tempProject({ config: config('') }), {});
    const local = getTarget(c, 'local');
    expect(writeBackLocation(local, getWarehouse('duckdb'))).toBeNull();
    expect(resolveConcurrency(local)).toBe(1);
    expect(resolveConcurrency(getTarget(c, 'bq'))).toBe(4);
    expect(resolveConcurrency(getTarget(c, 'bq'), 2)).toBe(2);
    const withState = loadProjectConfig(tempProject({ config: config('    write_schema: target/out.duckdb\n    concurrency: 3\n') }), {});
    const t = getTarget(withState, 'local');
    expect(writeBackLocation(t, getWarehouse('duckdb'))).toEqual({ schemaRef: 'exptrack_state.main', resultsTable: 'exptrack_results', decisionsTable: 'exptrack_decisions' });
    expect(resolveConcurrency(t)).toBe(3);
  });

  it('takes configured table names, and names a bad one by line, column and field', () => {
    const ok = loadProjectConfig(tempProject({ config: config('    write_schema: out\n    results_table: ab_results\n    decisions_table: ab_decisions\n') }), {});
    expect(writeBackLocation(getTarget(ok, 'local'), getWarehouse('postgres'))).toMatchObject({ schemaRef: 'out', resultsTable: 'ab_results', decisionsTable: 'ab_decisions' });
    let diagnostics: ValidationError['diagnostics'] = [];
    try {
      loadProjectConfig(tempProject({ config: config('    write_schema: out\n    results_table: "drop table; x"\n') }), {});
    } catch (e) {
      diagnostics = (e as ValidationError).diagnostics;
    }
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ file: 'exptrack.yaml', line: 8, field: 'targets.local.results_table' });
    expect(diagnostics[0].column).toBeGreaterThan(0);
  });
});
