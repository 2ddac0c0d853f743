// The DDL `exptrack instrument` prints, executed on every warehouse that runs here (DuckDB, a real
// Postgres server) twice (it is idempotent), then every compiled step of the spec runs on the tables it
// created: the tables have every column, with a type, that the spec's models read.
import { afterAll, describe, expect, it } from 'vitest';
import { compileProject } from '../../src/compile/compile-project.js';
import { loadProjectConfig } from '../../src/config/project-config.js';
import { instrumentDdl } from '../../src/instrument/instrument-ddl.js';
import { PACKAGE_ROOT, TEMPLATES_DIR } from '../../src/package-info.js';
import { loadExperiments } from '../../src/spec/load-project.js';
import type { Adapter } from '../../src/warehouse/types.js';
import { REPO_ROOT } from '../helpers/demo-project.js';
import { MATRIX_WAREHOUSES, preparedAdapter } from '../helpers/warehouse-matrix.js';

const config = loadProjectConfig(REPO_ROOT);
const SPECS = ['checkout_redesign', 'recommendation_carousel', 'mobile_onboarding'];

const statements = (ddl: string) => ddl.split('\n').filter((l) => !l.startsWith('--')).join('\n').split(/;\s*\n/).map((s) => s.trim().replace(/;$/, '')).filter(Boolean);

describe.each(MATRIX_WAREHOUSES)('instrument DDL on %s', (warehouse) => {
  const adapters: Adapter[] = [];
  afterAll(async () => {
    for (const a of adapters) await a.close();
  });

  it.each(SPECS)('%s: creates the tables, again without error, and every compiled step runs on them', async (id) => {
    const [exp] = loadExperiments({ root: config.root, specsDir: config.paths.specs, modelsDir: config.paths.models, selectors: [id] });
    const ddl = statements(instrumentDdl(exp, warehouse, TEMPLATES_DIR, PACKAGE_ROOT));
    expect(ddl.some((s) => s.startsWith('CREATE TABLE'))).toBe(true);
    const adapter = await preparedAdapter(warehouse, `exptrack_instrument_${id}`, [...ddl, ...ddl]);
    adapters.push(adapter);
    const target = { name: `${warehouse}_instrument`, type: warehouse, settings: {}, unsetVariables: [] };
    const compiled = compileProject(config, target, [id], config.asOf!);
    const steps = compiled.compiled[0].steps;
    expect(steps.length).toBeGreaterThanOrEqual(4);
    for (const step of steps) {
      const rows = await adapter.query(step.sql, { experiment: id, step: step.name });
      // Empty tables: no exposure, no assignment row; the sources step still returns a row per source.
      if (step.name === 'exposures' || step.name === 'assignment') expect(rows, step.name).toEqual([]);
      if (step.name === 'sources') expect(rows.map((r) => Number(r.row_count))).toEqual(rows.map(() => 0));
    }
  });
});
