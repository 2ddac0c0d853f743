// Golden SQL of the quantiles step, compiled only for specs with quantile metrics, so it is not among the
// demo specs of golden-sql.test.ts: a copy of the demo project with the quantile fixture
// (test/helpers/quantile-project.ts), for every registered warehouse, under test/golden-quantiles/<warehouse>/.
// `npm run golden` rewrites them.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
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
