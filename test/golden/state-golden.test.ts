// Golden SQL of the incremental plan (src/state): for every registered warehouse and demo spec, the
// setup, stage, reads and write statements of a rebuild and of an incremental refresh with a fixed
// watermark, under test/golden/state/<warehouse>/<spec id>/. `npm run golden` rewrites them. The
// cloud warehouses' state SQL is checked here only; see README (Scheduled runs) for what runs where.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSqlRenderer } from '../../src/compile/sql-templates.js';
import { PACKAGE_ROOT, TEMPLATES_DIR } from '../../src/package-info.js';
import { compileStateRefresh, compileStateSetup } from '../../src/state/state-plan.js';
import { getWarehouse, warehouseNames } from '../../src/warehouse/registry.js';
import { REPO_ROOT } from '../helpers/demo-project.js';
import { compileDemoFor, GOLDEN_AS_OF } from './demo-compile.js';

const DIR = join(REPO_ROOT, 'test', 'golden', 'state');
const UPDATE = process.env.EXPTRACK_UPDATE_GOLDEN === '1';

describe.each(warehouseNames())('incremental plan golden SQL for %s', (name) => {
  const warehouse = getWarehouse(name);
  const renderer = createSqlRenderer(TEMPLATES_DIR, name, warehouse.dialect, PACKAGE_ROOT);
  const loc = { schemaRef: warehouse.stateSchemaRef ? warehouse.stateSchemaRef('analytics_state') : 'analytics_state' };
  const files: [string, string][] = [];
  for (const exp of compileDemoFor(name).experiments) {
    files.push([`${exp.id}/00_setup.sql`, compileStateSetup(exp, GOLDEN_AS_OF, warehouse.dialect, renderer, loc).join(';\n')]);
    for (const [mode, stored] of [['rebuild', null], ['incremental', '2026-10-30T00:00:00.000Z']] as const) {
      const plan = compileStateRefresh({ exp, asOf: GOLDEN_AS_OF, dialect: warehouse.dialect, renderer, loc, storedWatermark: stored, lateLookbackSeconds: 86_400, fingerprint: 'golden', runId: 'golden-run', toolVersion: '0.0.0' });
      files.push([`${exp.id}/${mode}_1_stage.sql`, plan.stage.join(';\n')]);
      for (const r of plan.reads) files.push([`${exp.id}/${mode}_2_${r.name}.sql`, r.sql]);
      files.push([`${exp.id}/${mode}_3_write.sql`, plan.write.join(';\n')]);
      // The forget and claim statements (BigQuery and Snowflake only run them) do not depend on the mode.
      if (mode === 'rebuild') files.push([`${exp.id}/01_forget_claim.sql`, [...plan.forget, ...plan.claim].join(';\n')]);
    }
  }
  it.each(files)('%s matches its golden file', (key, sql) => {
    const path = join(DIR, name, key);
    if (UPDATE) {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, sql);
    }
    expect(existsSync(path), `${relative(REPO_ROOT, path)} is missing: run \`npm run golden\``).toBe(true);
    expect(readFileSync(path, 'utf8')).toBe(sql);
  });
});
