// Golden SQL of the write-back (src/warehouse-results): the results and decisions MERGE with their DDL,
// for every registered warehouse, under test/golden/write-back/<warehouse>/. `npm run golden` rewrites them.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getWarehouse, warehouseNames } from '../../src/warehouse/registry.js';
import { compileWarehouseWrite, writeRenderer } from '../../src/warehouse-results/warehouse-write.js';
import { REPO_ROOT } from '../helpers/demo-project.js';
import { FIXTURE_DECISIONS, FIXTURE_RESULTS } from '../helpers/write-back-fixture.js';

const DIR = join(REPO_ROOT, 'test', 'golden', 'write-back');
const UPDATE = process.env.EXPTRACK_UPDATE_GOLDEN === '1';

describe.each(warehouseNames())('write-back golden SQL for %s', (name) => {
  const warehouse = getWarehouse(name);
  const loc = { schemaRef: warehouse.stateSchemaRef ? warehouse.stateSchemaRef('analytics_out') : 'analytics_out', resultsTable: 'exptrack_results', decisionsTable: 'exptrack_decisions' };
  const files: [string, string][] = [
    ['results_write.sql', compileWarehouseWrite({ kind: 'results', experiment: 'checkout_redesign', rows: FIXTURE_RESULTS, loc, renderer: writeRenderer(warehouse) }).join(';\n')],
    ['decisions_write.sql', compileWarehouseWrite({ kind: 'decisions', experiment: 'checkout_redesign', rows: FIXTURE_DECISIONS, loc, renderer: writeRenderer(warehouse) }).join(';\n')],
  ];
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
