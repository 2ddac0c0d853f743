// Golden SQL of `exptrack plan`'s one query, for every demo spec whose primary metric plan supports and
// every registered warehouse: test/golden/plan/<warehouse>/<spec id>.sql, rewritten by `npm run golden`.
// The Postgres query is also parsed here, and run on a real server in test/matrix/plan-sql.test.ts.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
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
