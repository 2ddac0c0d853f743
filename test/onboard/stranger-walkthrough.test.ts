// The stranger test, replayed: two warehouses in the style of public experimentation schemas
// (stranger-schemas-sql.ts; Eppo's assignment log keyed by `subject`, Statsig's exposures and one
// event table), taken through the README's "Your own warehouse" steps with the CLI (init
// --introspect, models and spec, check, run) to a correct first report, including the stumbles
// found on the way, kept fixed.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI } from '../helpers/demo-project.js';
import { eppoStyleSql, statsigStyleSql } from '../helpers/stranger-schemas-sql.js';

const exptrack = (cwd: string, args: string[]) => {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

async function warehouse(path: string, sql: string[]): Promise<void> {
  const instance = await DuckDBInstance.create(path);
  const c = await instance.connect();
  try {
    for (const s of sql) await c.run(s);
  } finally {
    c.closeSync();
    instance.closeSync();
  }
}

const latest = (project: string, id: string) => {
  const dir = join(project, 'reports', id);
  const run = readdirSync(dir).filter((n) => /^\d{8}T/.test(n)).sort().pop()!;
  return { results: JSON.parse(readFileSync(join(dir, run, 'results.json'), 'utf8')), report: readFileSync(join(dir, run, 'report.md'), 'utf8') };
};
const primaryMeans = (results: { metrics: { role: string; arms: { variant: string; mean: number }[] }[] }) =>
  Object.fromEntries(results.metrics.find((m) => m.role === 'primary')!.arms.map((a) => [a.variant, a.mean]));

let root: string;
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'exptrack-stranger-'));
  await warehouse(join(root, 'eppo-wh.duckdb'), eppoStyleSql());
  await warehouse(join(root, 'statsig-wh.duckdb'), statsigStyleSql());
}, 120_000);

describe('an Eppo-style warehouse: assignments(subject, ...), purchases(user_id, ts), users(is_internal)', () => {
  let project: string;
  beforeAll(() => {
    project = join(root, 'eppo-experiments');
    mkdirSync(project);
  });

  it('init --introspect proposes the assignment log keyed by `subject` as the exposure source of unit user', () => {
    const r = exptrack(project, ['init', '--type', 'duckdb', '--path', '../eppo-wh.duckdb', '--introspect']);
    expect(r.code, r.stderr).toBe(0);
    const sources = readFileSync(join(project, 'models', 'sources.yaml'), 'utf8');
    expect(sources).toMatch(/assignments:[\s\S]*table: analytics\.assignments\n\s+units:\n\s+user: subject\n\s+timestamp: timestamp\n\s+experiment_key: experiment\n\s+variant: variation/);
    expect(sources).toMatch(/purchases:[\s\S]*user: user_id\n\s+timestamp: ts/);
    expect(sources).toMatch(/users:[\s\S]*user: user_id\n\s+columns:\n\s+is_internal: boolean/);
    expect(sources).not.toContain('Left out');
    // The starter spec points at the attribute table's dimension and at exact variant keys.
    const starter = readFileSync(join(project, 'specs', 'first_experiment.yaml'), 'utf8');
    expect(starter).toContain('# dimensions: [users.country]');
    expect(starter).toContain('the values of variation, exactly as logged (case too)');
  });

  it('the stranger\'s models and spec check clean and run to the planted result, with no --as-of', () => {
    writeFileSync(join(project, 'models', 'shipping.yaml'), `metrics:
  purchased:
    type: proportion
    source: purchases
    window: { duration: 7d }
filters:
  internal_users:
    source: users
    where: "is_internal"
`);
    writeFileSync(join(project, 'specs', 'first_experiment.yaml'), `id: free_shipping
name: Free shipping
owner: me@example.com
hypothesis: Free shipping raises purchases.
unit: user
exposure: { source: assignments, experiment_key: free_shipping }
variants:
  - { key: control, weight: 0.5 }
  - { key: treatment, weight: 0.5 }
start: 2026-08-03
end: 2026-08-17
audience:
  exclude: [internal_users]
metrics:
  primary: purchased
dimensions: [users.country]
`);
    const check = exptrack(project, ['check']);
    expect(check.code, check.stderr).toBe(0);
    const run = exptrack(project, ['run']);
    expect(run.code, run.stderr).toBe(0);
    const { results, report } = latest(project, 'free_shipping');
    expect(results.run.asOf).toBe('2026-08-24T00:00:00.000Z');
    expect(results.decision).toMatchObject({ recommendation: 'ship', variant: 'treatment' });
    // Planted 20% -> 26%.
    const m = primaryMeans(results);
    expect(m.control).toBeGreaterThan(0.16);
    expect(m.control).toBeLessThan(0.23);
    expect(m.treatment).toBeGreaterThan(0.22);
    // 73 internal users (i % 41); 30 saw both variations (i % 97), none of them internal.
    expect(results.audience).toMatchObject({ exposedUnits: 3000, removedByFilters: 73, multipleExposure: { units: 30, alsoRemovedByFilters: 0, counted: 30 }, keptUnits: 2897 });
    expect(results.metrics[0].dimensions.map((d: { dimension: string; value: string }) => `${d.dimension}=${d.value}`)).toEqual(['users.country=DE', 'users.country=FR', 'users.country=US']);
    // The Sources table judges what DATA_STALE judges: the data needed until, not the as-of.
    expect(report).toContain('| Source | Rows in window | Latest event | Data needed until | Hours short | Latest load |');
    expect(report).toMatch(/\| assignments \| [\d,]+ \| 2026-08-16 23:00 UTC \| 2026-08-17 00:00 UTC \| 1\.0 \|/);
    expect(results.checks.find((c: { id: string }) => c.id === 'data_stale').status).toBe('pass');
  });
});

describe('a Statsig-style warehouse: exposures(unit_id, experiment_id, group_name), events(event_name), user_dimensions', () => {
  let project: string;
  beforeAll(() => {
    project = join(root, 'statsig-experiments');
    mkdirSync(project);
    const r = exptrack(project, ['init', '--type', 'duckdb', '--path', '../statsig-wh.duckdb', '--introspect']);
    if (r.code !== 0) throw new Error(r.stderr);
    writeFileSync(join(project, 'models', 'search.yaml'), `metrics:
  search_success:
    type: proportion
    source: events
    filter: "event_name = 'search_success'"
    window: { duration: 7d }
  searches:
    type: count
    source: events
    filter: "event_name = 'search'"
    window: { duration: 7d }
filters:
  employees:
    source: user_dimensions
    where: "is_employee"
`);
  });
  const spec = (control: string, test: string) => `id: search_ranking
name: Search ranking
owner: me@example.com
hypothesis: The new ranking makes searches succeed more often.
unit: unit
exposure: { source: exposures, experiment_key: search_ranking }
variants:
  - { key: ${control}, weight: 0.5 }
  - { key: ${test}, weight: 0.5 }
start: 2026-07-06
end: 2026-07-20
audience:
  exclude: [employees]
metrics:
  primary: search_success
  secondary: [searches]
dimensions: [user_dimensions.tier]
`;

  it('variant keys in the wrong case: the empty arms name the keys the exposure log has', () => {
    writeFileSync(join(project, 'specs', 'first_experiment.yaml'), spec('control', 'test'));
    exptrack(project, ['run', '-q']);
    const samples = latest(project, 'search_ranking').results.checks.find((c: { id: string }) => c.id === 'insufficient_samples');
    expect(samples.status).toBe('fail');
    expect(samples.message).toContain('The exposure log has variants the spec does not declare: `Control` (1,444), `Test` (1,475); variant keys must match exactly (did you mean `Control` for `control`, `Test` for `test`?)');
  });

  it('with the keys as logged: the planted result, broken down by the attribute table\'s tier', () => {
    writeFileSync(join(project, 'specs', 'first_experiment.yaml'), spec('Control', 'Test'));
    const run = exptrack(project, ['run']);
    expect(run.code, run.stderr).toBe(0);
    const { results } = latest(project, 'search_ranking');
    expect(results.decision).toMatchObject({ recommendation: 'ship', variant: 'Test' });
    const m = primaryMeans(results);
    expect(m.Control).toBeGreaterThan(0.35);
    expect(m.Control).toBeLessThan(0.42);
    expect(m.Test).toBeGreaterThan(0.41);
    // 81 employees (i % 37).
    expect(results.audience).toMatchObject({ exposedUnits: 3000, removedByFilters: 81, keptUnits: 2919 });
    const tiers = results.metrics[0].dimensions.map((d: { value: string; arms: { n: number }[] }) => [d.value, d.arms.reduce((a, x) => a + x.n, 0)]);
    // tier 'paid' for i % 5 = 0: 600 users, less the employees among them (i % 185: 16).
    expect(tiers).toEqual([['free', 2919 - 584], ['paid', 584]]);
  });
});

describe('a DuckDB file named like the schema it holds (statsig.duckdb with schema statsig)', () => {
  it('init writes database-qualified tables; check names the ambiguity of a two-part name before run meets it', () => {
    copyFileSync(join(root, 'statsig-wh.duckdb'), join(root, 'statsig.duckdb'));
    const project = join(root, 'same-name');
    mkdirSync(project);
    const init = exptrack(project, ['init', '--type', 'duckdb', '--path', '../statsig.duckdb', '--introspect']);
    expect(init.code, init.stderr).toBe(0);
    const path = join(project, 'models', 'sources.yaml');
    const sources = readFileSync(path, 'utf8');
    expect(sources).toContain('table: statsig.statsig.exposures');
    expect(exptrack(project, ['check']).code).toBe(0);
    writeFileSync(path, sources.replace('table: statsig.statsig.exposures', 'table: statsig.exposures'));
    const r = exptrack(project, ['check']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^models\/sources\.yaml:\d+:12: error: sources\.exposures\.table: 'statsig' is both a database \(the DuckDB file's name\) and a schema, so 'statsig\.exposures' is ambiguous to the warehouse; write 'statsig\.statsig\.exposures' or rename the file$/m);
  });
});
