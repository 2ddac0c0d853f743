// A warehouse error inside the attribute-table join (the table changed after `check`: its dimension
// column was renamed) names the attribute source and its model line, never only the internal alias.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { compileProject } from '../../src/compile/compile-project.js';
import { getTarget, loadProjectConfig } from '../../src/config/project-config.js';
import { explainWarehouseError } from '../../src/run/explain-warehouse-error.js';
import { getWarehouse } from '../../src/warehouse/registry.js';
import { WarehouseError } from '../../src/warehouse/types.js';
import { ATTRIBUTE_AS_OF, writeAttributeProject } from '../helpers/attribute-project.js';
import { ownWarehouseSql } from '../helpers/own-warehouse-sql.js';

describe('warehouse errors in an attribute-table dimension', () => {
  it('decode the join\'s alias to the attribute source and its model location', async () => {
    const root = mkdtempSync(join(tmpdir(), 'exptrack-attr-errors-'));
    const path = join(root, 'changed.duckdb');
    const instance = await DuckDBInstance.create(path);
    const c = await instance.connect();
    for (const sql of [...ownWarehouseSql(), 'ALTER TABLE app.accounts RENAME COLUMN plan TO plan_name']) await c.run(sql);
    c.closeSync();
    instance.closeSync();
    const project = join(root, 'p');
    writeAttributeProject(project, `  changed:\n    type: duckdb\n    path: ${path}\n`, 'changed');
    const config = loadProjectConfig(project);
    const target = getTarget(config, undefined);
    const compiled = compileProject(config, target, [], ATTRIBUTE_AS_OF);
    const adapter = await getWarehouse('duckdb').createAdapter(target.settings, { projectRoot: config.root, targetName: target.name });
    let error: unknown;
    try {
      await adapter.query(compiled.compiled[0].steps.find((s) => s.name === 'metrics')!.sql, { experiment: 'plan_checkout', step: 'metrics' });
    } catch (e) {
      error = e;
    } finally {
      await adapter.close();
    }
    expect(error).toBeInstanceOf(WarehouseError);
    expect((error as WarehouseError).message).toMatch(/"ad1"|ad1\./);
    const explained = explainWarehouseError(error as WarehouseError, compiled.experiments[0], compiled.compiled[0]);
    expect(explained.message).toContain('spec specs/plan_checkout.yaml, step metrics');
    expect(explained.message).toMatch(/'ad1' is source 'accounts' \(table app\.accounts, models\/sources\.yaml:\d+:3\)/);
  });
});
