// Golden SQL of the ranks step (Mann-Whitney), compiled only for specs with analysis.mann_whitney,
// so it is not among the demo specs of golden-sql.test.ts: a copy of the demo project with one rank spec,
// for every registered warehouse, under test/golden-ranks/<warehouse>/. `npm run golden` rewrites them.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { warehouseNames } from '../../src/warehouse/registry.js';
import { demoProject, REPO_ROOT } from '../helpers/demo-project.js';
import { compileDemoFor, compiledQueries } from './demo-compile.js';

const DIR = join(REPO_ROOT, 'test', 'golden-ranks');
const UPDATE = process.env.EXPTRACK_UPDATE_GOLDEN === '1';

describe.each(warehouseNames())('golden ranks SQL for %s', (warehouse) => {
  it('matches its golden file', async () => {
    const project = await demoProject({ withData: false });
    const spec = readFileSync(join(project, 'specs', 'checkout_redesign.yaml'), 'utf8')
      .replace('id: checkout_redesign', 'id: checkout_rank')
      .replace('alpha: 0.05', 'alpha: 0.05\nanalysis: { mann_whitney: [revenue_per_user, page_views] }');
    writeFileSync(join(project, 'specs', 'checkout_rank.yaml'), spec);
    const ranks = compiledQueries(compileDemoFor(warehouse, project)).filter((q) => q.file === '08_ranks.sql');
    // upsell_widget is a demo spec with a rank test; its ranks SQL is in test/golden/ with the other demo specs.
    expect(ranks.map((q) => q.experiment)).toEqual(['checkout_rank', 'upsell_widget']);
    const path = join(DIR, warehouse, ranks[0].key);
    if (UPDATE) {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, ranks[0].sql);
    }
    expect(existsSync(path), `${relative(REPO_ROOT, path)} is missing: run \`npm run golden\``).toBe(true);
    expect(readFileSync(path, 'utf8')).toBe(ranks[0].sql);
  });
});
