import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { getTarget, loadProjectConfig } from '../../src/config/project-config.js';
import { runProject } from '../../src/run/run-project.js';
import { openDuckdb } from '../../src/warehouse/duckdb/adapter.js';
import { WarehouseError } from '../../src/warehouse/types.js';
import { demoProject } from '../helpers/demo-project.js';

// The embedded warehouse honours cancellation: Ctrl-C reaches DuckDB as an interrupt, not a wait.
let db: string;
beforeAll(async () => {
  db = join(mkdtempSync(join(tmpdir(), 'exptrack-duckdb-')), 'x.duckdb');
  const i = await DuckDBInstance.create(db);
  i.closeSync();
});

const ctx = (signal?: AbortSignal) => ({ experiment: 'e', step: 'metrics', signal });

describe('DuckDB adapter', () => {
  it('interrupts a running query when the signal aborts, and says it was cancelled', async () => {
    const adapter = await openDuckdb({ path: db }, '/', 'local');
    const abort = new AbortController();
    // A cross join far too big to finish: only the interrupt can end it.
    const running = adapter.query('SELECT count(*) FROM range(100000000) a, range(100000000) b WHERE a.range + b.range = -1', ctx(abort.signal));
    setTimeout(() => abort.abort(), 300);
    const e = await running.then(() => null, (x: unknown) => x);
    expect(e).toBeInstanceOf(WarehouseError);
    expect((e as WarehouseError).kind).toBe('cancelled');
    expect((e as WarehouseError).message).toBe('local: e metrics: cancelled: the query was interrupted');
    // The connection is still usable afterwards.
    expect(await adapter.query('SELECT 42 AS x', ctx())).toEqual([{ x: 42 }]);
    await adapter.close();
  });

  it('names a missing table as not_found and a typo as a syntax error', async () => {
    const adapter = await openDuckdb({ path: db }, '/', 'local');
    const kind = (sql: string) => adapter.query(sql, ctx()).then(() => null, (x: WarehouseError) => x.kind);
    expect(await kind('SELECT * FROM main.nope')).toBe('not_found');
    expect(await kind('SELEC 1')).toBe('syntax');
    await adapter.close();
  });

  it('a run cancelled before it starts writes no package', async () => {
    const project = await demoProject();
    const config = loadProjectConfig(project);
    const abort = new AbortController();
    abort.abort();
    const e = await runProject({ config, target: getTarget(config, undefined), selectors: ['checkout_redesign'], asOf: config.asOf!, signal: abort.signal }).then(() => null, (x: unknown) => x);
    expect((e as WarehouseError).kind).toBe('cancelled');
    expect(existsSync(join(project, 'reports', 'checkout_redesign'))).toBe(false);
  });
});
