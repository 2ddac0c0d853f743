// `exptrack plan`'s query runs on DuckDB and on a real PostgreSQL server over the same demo data, and
// both give the same baseline: units seen and measured exactly, mean and variance to 1e-9 (relative).
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { getTarget, loadProjectConfig, type Target } from '../../src/config/project-config.js';
import { planExperiment } from '../../src/plan/plan-experiment.js';
import { demoProject } from '../helpers/demo-project.js';
import { freshDatabaseFrom } from '../helpers/load-demo-into-postgres.js';
import { postgresServer, postgresTarget } from '../helpers/postgres-database.js';
import { demoPlanQueries } from '../golden/demo-plan.js';

const DATABASE = 'exptrack_plan_sql';
const OPTIONS = { asOf: '2026-11-01T00:00:00Z', lookbackDays: 14, days: 14, mde: null, lift: null, power: 0.8 };
let project: string;
let duck: Target;
let pg: Target;

beforeAll(async () => {
  project = await demoProject();
  duck = getTarget(loadProjectConfig(project), undefined);
  const server = postgresServer();
  await freshDatabaseFrom(server, DATABASE, join(project, 'target', 'demo.duckdb'));
  pg = postgresTarget(server, DATABASE);
});

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

describe('plan SQL on DuckDB and Postgres', () => {
  it.each(demoPlanQueries('postgres').map((q) => [q.id]))('%s: same baseline on both', async (id) => {
    const config = loadProjectConfig(project);
    const a = await planExperiment(config, duck, id, OPTIONS);
    const b = await planExperiment(config, pg, id, OPTIONS);
    expect(a.preperiod.unitsSeen).toBeGreaterThan(0);
    expect(b.preperiod).toEqual(a.preperiod);
    expect(close(a.baseline.mean, b.baseline.mean), `${a.baseline.mean} vs ${b.baseline.mean}`).toBe(true);
    expect(close(a.baseline.variance, b.baseline.variance)).toBe(true);
  });
});
