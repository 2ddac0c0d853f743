// A warehouse error that still happens during a step (here: the table changed after `check`) is told
// in the user's names: spec, step, and the source behind each internal alias with its model line.
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileProject } from '../../src/compile/compile-project.js';
import { getTarget, loadProjectConfig } from '../../src/config/project-config.js';
import { initProject } from '../../src/init/init-project.js';
import { explainWarehouseError } from '../../src/run/explain-warehouse-error.js';
import { getWarehouse } from '../../src/warehouse/registry.js';
import { WarehouseError } from '../../src/warehouse/types.js';
import { ownWarehouseSql } from '../helpers/own-warehouse-sql.js';
import { readmeWalkthrough } from '../helpers/readme-walkthrough.js';

let project: string;

async function exec(path: string, sqls: string[]): Promise<void> {
  const instance = await DuckDBInstance.create(path);
  const c = await instance.connect();
  for (const sql of sqls) await c.run(sql);
  c.closeSync();
  instance.closeSync();
}

beforeAll(async () => {
  const root = mkdtempSync(join(tmpdir(), 'exptrack-errors-'));
  await exec(join(root, 'warehouse.duckdb'), ownWarehouseSql());
  project = join(root, 'p');
  await initProject({ dir: project, type: 'duckdb', settings: { path: join(root, 'warehouse.duckdb') }, introspect: true, today: '2026-09-01' });
  for (const step of readmeWalkthrough('Your own warehouse')) if (step.kind === 'file') writeFileSync(join(project, step.path), step.text);
  // The warehouse changes after the models were checked: the event time column is renamed.
  copyFileSync(join(root, 'warehouse.duckdb'), join(root, 'changed.duckdb'));
  await exec(join(root, 'changed.duckdb'), ['ALTER TABLE app.events RENAME COLUMN occurred_at TO occurred_at_utc']);
  writeFileSync(join(project, 'exptrack.yaml'), `name: p\ndefault_target: changed\ntargets:\n  changed:\n    type: duckdb\n    path: ${join(root, 'changed.duckdb')}\n`);
}, 120_000);

describe('warehouse errors name spec, step, source and model location', () => {
  it('decodes the internal alias of a DuckDB binder error', async () => {
    const config = loadProjectConfig(project);
    const target = getTarget(config, undefined);
    const compiled = compileProject(config, target, [], '2026-09-22T00:00:00Z');
    const step = compiled.compiled[0].steps.find((s) => s.name === 'metrics')!;
    const adapter = await getWarehouse('duckdb').createAdapter(target.settings, { projectRoot: config.root, targetName: target.name });
    let error: unknown;
    try {
      await adapter.query(step.sql, { experiment: 'new_checkout', step: 'metrics' });
    } catch (e) {
      error = e;
    } finally {
      await adapter.close();
    }
    expect(error).toBeInstanceOf(WarehouseError);
    const raw = (error as WarehouseError).message;
    // The raw message names only the alias: what a user could not act on.
    expect(raw).toMatch(/"s1"|s1\./);
    const explained = explainWarehouseError(error as WarehouseError, compiled.experiments[0], compiled.compiled[0]);
    expect(explained.kind).toBe((error as WarehouseError).kind);
    expect(explained.ctx).toEqual((error as WarehouseError).ctx);
    expect(explained.message).toContain('spec specs/first_experiment.yaml, step metrics');
    expect(explained.message).toMatch(/'s1' is source 'events' \(table app\.events, models\/sources\.yaml:\d+:3\)/);
    expect(explained.message).toContain('`exptrack check`');
  });
});
