// Golden SQL of the pairs step (matched pairs keyed by a pair id), compiled only for a paired metric
// over a source with pair_key, so it is not among the demo specs: a copy of the demo project with the
// shadow fixture's models and specs, for every registered warehouse, under test/golden-pairs/<warehouse>/.
// `npm run golden` rewrites them.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { warehouseNames } from '../../src/warehouse/registry.js';
import { demoProject, REPO_ROOT } from '../helpers/demo-project.js';
import { addShadowSpecs } from '../helpers/shadow-pairs-fixture.js';
import { compileDemoFor, compiledQueries } from './demo-compile.js';

const DIR = join(REPO_ROOT, 'test', 'golden-pairs');
const UPDATE = process.env.EXPTRACK_UPDATE_GOLDEN === '1';

describe.each(warehouseNames())('golden pairs SQL for %s', (warehouse) => {
  it('matches its golden file', async () => {
    const project = await demoProject({ withData: false });
    addShadowSpecs(project);
    const pairs = compiledQueries(compileDemoFor(warehouse, project)).filter((q) => q.file === '10_pairs.sql');
    expect(pairs.map((q) => q.experiment)).toEqual(['shadow_latency', 'shadow_latency_daily']);
    const path = join(DIR, warehouse, pairs[0].key);
    if (UPDATE) {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, pairs[0].sql);
    }
    expect(existsSync(path), `${relative(REPO_ROOT, path)} is missing: run \`npm run golden\``).toBe(true);
    expect(readFileSync(path, 'utf8')).toBe(pairs[0].sql);
  });
});
