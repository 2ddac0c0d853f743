// Golden SQL of the quantiles step, compiled only for specs with quantile metrics, so it is not among the
// demo specs of golden-sql.test.ts: a copy of the demo project with the quantile fixture
// (test/helpers/quantile-project.ts), for every registered warehouse, under test/golden-quantiles/<warehouse>/.
// `npm run golden` rewrites them.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { validate } from '@polyglot-sql/sdk';
import { parse } from 'sql-parser-cst';
import { describe, expect, it } from 'vitest';
import { warehouseNames } from '../../src/warehouse/registry.js';
import { demoProject, REPO_ROOT } from '../helpers/demo-project.js';
import { addQuantileSpecs } from '../helpers/quantile-project.js';
import { compileDemoFor, compiledQueries } from './demo-compile.js';

const DIR = join(REPO_ROOT, 'test', 'golden-quantiles');
const UPDATE = process.env.EXPTRACK_UPDATE_GOLDEN === '1';

describe.each(warehouseNames())('golden quantiles SQL for %s', (warehouse) => {
  it('matches its golden file, and only specs with quantile metrics get the step', async () => {
    const project = await demoProject({ withData: false });
    addQuantileSpecs(project);
    const steps = compiledQueries(compileDemoFor(warehouse, project)).filter((q) => q.file === '09_quantiles.sql');
    expect(steps.map((q) => q.experiment).sort()).toEqual(['checkout_quantile', 'checkout_quantile_primary']);
    const step = steps.find((q) => q.experiment === 'checkout_quantile')!;
    const path = join(DIR, warehouse, step.key);
    if (UPDATE) {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, step.sql);
    }
    expect(existsSync(path), `${relative(REPO_ROOT, path)} is missing: run \`npm run golden\``).toBe(true);
    expect(readFileSync(path, 'utf8')).toBe(step.sql);
  });
});

describe('the quantiles step parses as each cloud warehouse’s SQL (the fakes run it on DuckDB, so the dialect is checked here)', () => {
  it.each(['bigquery', 'snowflake'] as const)('%s', async (warehouse) => {
    const project = await demoProject({ withData: false });
    addQuantileSpecs(project);
    const step = compiledQueries(compileDemoFor(warehouse, project)).find((q) => q.key === 'checkout_quantile/09_quantiles.sql')!;
    if (warehouse === 'bigquery') expect(() => parse(step.sql, { dialect: 'bigquery' })).not.toThrow();
    const v = await validate(step.sql, warehouse);
    expect(v.errors).toEqual([]);
    expect(v.valid).toBe(true);
    // Not vacuous: the same validator refuses the step with a clause broken.
    expect((await validate(step.sql.replace(/\bFROM\b/, 'FROM FROM'), warehouse)).valid).toBe(false);
  });
});
