// Golden SQL of `exptrack plan`'s one query, for every demo spec whose primary metric plan supports and
// every registered warehouse: test/golden/plan/<warehouse>/<spec id>.sql, rewritten by `npm run golden`.
// The Postgres query is also parsed here, and run on a real server in test/matrix/plan-sql.test.ts.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { parse as parseCst } from 'sql-parser-cst';
import { describe, expect, it } from 'vitest';
import { createSqlRenderer } from '../../src/compile/sql-templates.js';
import { loadProjectConfig } from '../../src/config/project-config.js';
import { PACKAGE_ROOT, TEMPLATES_DIR } from '../../src/package-info.js';
import { compilePlan, PlanError, type PlanOptions } from '../../src/plan/plan-query.js';
import { loadExperiments } from '../../src/spec/load-project.js';
import { getWarehouse, warehouseNames } from '../../src/warehouse/registry.js';
import { REPO_ROOT } from '../helpers/demo-project.js';

const UPDATE = process.env.EXPTRACK_UPDATE_GOLDEN === '1';
export const GOLDEN_PLAN_OPTIONS: PlanOptions = { asOf: '2026-10-04T00:00:00Z', lookbackDays: 21, days: 14, mde: null, lift: null, power: 0.8 };

export function demoPlanQueries(warehouse: string): { id: string; sql: string }[] {
  const config = loadProjectConfig(REPO_ROOT, {});
  const w = getWarehouse(warehouse);
  const renderer = createSqlRenderer(TEMPLATES_DIR, w.name, w.dialect, PACKAGE_ROOT);
  return loadExperiments({ root: REPO_ROOT, specsDir: config.paths.specs, modelsDir: config.paths.models }).flatMap((exp) => {
    try {
      return [{ id: exp.id, sql: compilePlan(exp, GOLDEN_PLAN_OPTIONS, w.dialect, renderer).sql }];
    } catch (e) {
      if (e instanceof PlanError) return [];
      throw e;
    }
  });
}

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
