// Golden SQL of `exptrack plan`'s one query, for every demo spec whose primary metric plan supports and
// every registered warehouse: test/golden/plan/<warehouse>/<spec id>.sql, rewritten by `npm run golden`.
// The Postgres query is also parsed here, and run on a real server in test/matrix/plan-sql.test.ts;
// the cloud warehouses' queries, which no engine runs here, are parsed in their own dialects.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { validate } from '@polyglot-sql/sdk';
import { parse as parseCst } from 'sql-parser-cst';
import { describe, expect, it } from 'vitest';
import { warehouseNames } from '../../src/warehouse/registry.js';
import { REPO_ROOT } from '../helpers/demo-project.js';
import { demoPlanQueries } from './demo-plan.js';

const UPDATE = process.env.EXPTRACK_UPDATE_GOLDEN === '1';
describe.each(warehouseNames())('golden plan SQL for %s', (warehouse) => {
  const queries = demoPlanQueries(warehouse);
  it('covers at least two demo specs', () => expect(queries.length).toBeGreaterThanOrEqual(2));
  it.each(queries.map((q) => [q.id, q.sql] as const))('%s matches its golden file', (id, sql) => {
    const path = join(REPO_ROOT, 'test', 'golden', 'plan', warehouse, `${id}.sql`);
    if (UPDATE) {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, sql);
    }
    expect(existsSync(path), `${relative(REPO_ROOT, path)} is missing: run \`npm run golden\``).toBe(true);
    expect(readFileSync(path, 'utf8')).toBe(sql);
  });
});

describe('plan SQL parses', () => {
  it.each(demoPlanQueries('postgres').map((q) => [q.id, q.sql] as const))('postgres: %s', (_id, sql) => {
    expect(() => parseCst(sql, { dialect: 'postgresql', includeRange: true })).not.toThrow();
  });
});

describe('cloud plan SQL parses in its own dialect', () => {
  it.each(demoPlanQueries('bigquery').map((q) => [q.id, q.sql] as const))('bigquery: %s (sql-parser-cst and polyglot)', async (_id, sql) => {
    expect(() => parseCst(sql, { dialect: 'bigquery' })).not.toThrow();
    expect((await validate(sql, 'bigquery')).errors).toEqual([]);
  });
  it.each(demoPlanQueries('snowflake').map((q) => [q.id, q.sql] as const))('snowflake: %s (polyglot)', async (_id, sql) => {
    expect((await validate(sql, 'snowflake')).errors).toEqual([]);
  });
  it('the validators reject a broken plan query (the check is not vacuous)', async () => {
    for (const w of ['bigquery', 'snowflake'] as const) {
      const broken = demoPlanQueries(w)[0].sql.replace(/\bFROM\b/, 'FROM FROM');
      expect((await validate(broken, w)).valid, w).toBe(false);
    }
  });
});
