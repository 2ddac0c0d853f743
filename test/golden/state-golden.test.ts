// Golden SQL of the incremental plan (src/state): for every registered warehouse and demo spec, the
// setup, stage, reads and write statements of a rebuild and of an incremental refresh with a fixed
// watermark, under test/golden/state/<warehouse>/<spec id>/, plus the quantile fixture's specs (unit- and
// event-level quantiles) and the attribute-table spec (a dimension joined at read time). `npm run golden` rewrites them. The
// cloud warehouses' state SQL is checked here only; see README (Scheduled runs) for what runs where.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSqlRenderer } from '../../src/compile/sql-templates.js';
import { PACKAGE_ROOT, TEMPLATES_DIR } from '../../src/package-info.js';
import { compileStateRefresh, compileStateSetup } from '../../src/state/state-plan.js';
import { getWarehouse, warehouseNames } from '../../src/warehouse/registry.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { compileProject } from '../../src/compile/compile-project.js';
import { loadProjectConfig } from '../../src/config/project-config.js';
import type { ResolvedExperiment } from '../../src/spec/types.js';
import { ATTRIBUTE_AS_OF, writeAttributeProject } from '../helpers/attribute-project.js';
import { demoProject, REPO_ROOT } from '../helpers/demo-project.js';
import { addQuantileSpecs } from '../helpers/quantile-project.js';
import { compileDemoFor, GOLDEN_AS_OF, placeholderTarget } from './demo-compile.js';

const DIR = join(REPO_ROOT, 'test', 'golden', 'state');
const UPDATE = process.env.EXPTRACK_UPDATE_GOLDEN === '1';

const quantileProject = await demoProject({ withData: false });
addQuantileSpecs(quantileProject);
const attributeProject = mkdtempSync(join(tmpdir(), 'exptrack-attr-state-golden-'));
writeAttributeProject(attributeProject, '  placeholder:\n    type: duckdb\n    path: unused.duckdb\n', 'placeholder');

/** The demo specs at the demo's as-of, then the fixtures' specs the demo lacks (quantiles, an attribute dimension). */
function goldenExperiments(name: string): [ResolvedExperiment, string][] {
  const quantiles = compileDemoFor(name, quantileProject).experiments.filter((e) => e.id.startsWith('checkout_quantile'));
  const attribute = compileProject(loadProjectConfig(attributeProject), placeholderTarget(name), [], ATTRIBUTE_AS_OF).experiments;
  return [...[...compileDemoFor(name).experiments, ...quantiles].map((e): [ResolvedExperiment, string] => [e, GOLDEN_AS_OF]), ...attribute.map((e): [ResolvedExperiment, string] => [e, ATTRIBUTE_AS_OF])];
}

describe.each(warehouseNames())('incremental plan golden SQL for %s', (name) => {
  const warehouse = getWarehouse(name);
  const renderer = createSqlRenderer(TEMPLATES_DIR, name, warehouse.dialect, PACKAGE_ROOT);
  const loc = { schemaRef: warehouse.stateSchemaRef ? warehouse.stateSchemaRef('analytics_state') : 'analytics_state' };
  const files: [string, string][] = [];
  for (const [exp, asOf] of goldenExperiments(name)) {
    files.push([`${exp.id}/00_setup.sql`, compileStateSetup(exp, asOf, warehouse.dialect, renderer, loc).join(';\n')]);
    const stored = new Date(Date.parse(asOf) - 2 * 86_400_000).toISOString();
    for (const [mode, watermark] of [['rebuild', null], ['incremental', stored]] as const) {
      const plan = compileStateRefresh({ exp, asOf, dialect: warehouse.dialect, renderer, loc, storedWatermark: watermark, lateLookbackSeconds: 86_400, fingerprint: 'golden', runId: 'golden-run', toolVersion: '0.0.0' });
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
