import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI } from '../helpers/demo-project.js';
import { ownWarehouseSql } from '../helpers/own-warehouse-sql.js';
import { readmeWalkthrough } from '../helpers/readme-walkthrough.js';

const exptrack = (cwd: string, args: string[]) => {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

let root: string;
let project: string;
const log: string[] = [];

async function buildWarehouse(path: string, extra: string[] = []): Promise<void> {
  const instance = await DuckDBInstance.create(path);
  const c = await instance.connect();
  try {
    for (const sql of [...ownWarehouseSql(), ...extra]) await c.run(sql);
  } finally {
    c.closeSync();
    instance.closeSync();
  }
}

const newestResults = (dir: string) => {
  const runs = readdirSync(dir).filter((n) => /^\d{8}T/.test(n)).sort();
  return { dir: join(dir, runs[runs.length - 1]), results: JSON.parse(readFileSync(join(dir, runs[runs.length - 1], 'results.json'), 'utf8')) };
};

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'exptrack-own-'));
  // A second table with the event time as text: what `check` must refuse as a timestamp.
  await buildWarehouse(join(root, 'warehouse.duckdb'), ['CREATE TABLE app.events_text AS SELECT account_id, event_name, CAST(occurred_at AS VARCHAR) AS occurred_at FROM app.events']);
  // Replay README "Your own warehouse" step by step, as a new user would.
  let cwd = root;
  for (const step of readmeWalkthrough('Your own warehouse')) {
    if (step.kind === 'mkdir') mkdirSync(join(cwd, step.dir));
    else if (step.kind === 'cd') cwd = join(cwd, step.dir);
    else if (step.kind === 'file') writeFileSync(join(cwd, step.path), step.text);
    else {
      const r = exptrack(cwd, step.args);
      log.push(`$ ${step.line}\n${r.stderr}${r.stdout}`);
      if (r.code !== step.exit) throw new Error(`README step '${step.line}' exited ${r.code}:\n${r.stderr}${r.stdout}`);
    }
  }
  project = cwd;
}, 240_000);

describe('README "Your own warehouse", replayed on a schema unlike the demo\'s', () => {
  it('init --introspect proposed the exposure, event and attribute sources from the catalogue', () => {
    const sources = readFileSync(join(project, 'models', 'sources.yaml'), 'utf8');
    expect(sources).toMatch(/experiment_exposures:[\s\S]*table: app\.experiment_exposures[\s\S]*account: account_id[\s\S]*timestamp: seen_at[\s\S]*experiment_key: experiment[\s\S]*variant: arm/);
    expect(sources).toMatch(/events:[\s\S]*timestamp: occurred_at[\s\S]*event_name: string[\s\S]*revenue: number/);
    expect(sources).toMatch(/accounts:[\s\S]*table: app\.accounts\n\s+units:\n\s+account: account_id\n\s+columns:\n\s+is_internal: boolean/);
    expect(readFileSync(join(project, 'models', 'metrics.yaml'), 'utf8')).toContain('events_per_account:');
    expect(readFileSync(join(project, 'exptrack.yaml'), 'utf8')).toContain('path: ../warehouse.duckdb');
  });

  it('the first run of the concluded experiment is right with no --as-of: ship, the planted lift, audience counts', () => {
    const { results } = newestResults(join(project, 'reports', 'new_checkout'));
    expect(results.run.asOf).toBe('2026-09-22T00:00:00.000Z');
    expect(results.checks.filter((c: { status: string }) => c.status === 'fail')).toEqual([]);
    expect(results.decision).toMatchObject({ recommendation: 'ship', variant: 'new' });
    const primary = results.metrics.find((m: { role: string }) => m.role === 'primary');
    const arm = (v: string) => primary.arms.find((a: { variant: string }) => a.variant === v).mean;
    // Planted 10% -> 15% (the generator's per-account draws land near those rates).
    expect(arm('old')).toBeGreaterThan(0.07);
    expect(arm('old')).toBeLessThan(0.12);
    expect(arm('new')).toBeGreaterThan(0.12);
    // 75 + 13 internal accounts (i % 53, i % 298); 26 saw both arms (i % 149), 13 of them internal.
    expect(results.audience).toEqual({
      exposedUnits: 4000,
      filters: [{ name: 'internal_accounts', mode: 'exclude', unitsRemoved: 88, onlyThisFilter: 88, alsoMultipleExposure: 13 }],
      removedByFilters: 88,
      multipleExposure: { units: 26, alsoRemovedByFilters: 13, counted: 13 },
      keptUnits: 3899,
    });
    expect(results.exposures.multipleVariantUnits).toBe(13);
    expect(results.exposures.analysedUnits).toBe(3899);
    const report = readFileSync(join(newestResults(join(project, 'reports', 'new_checkout')).dir, 'report.md'), 'utf8');
    expect(report).toContain('| `internal_accounts` | exclude | 88 | 88 | 13 |');
    expect(report).toContain('26 units were seen in more than one variant; 13 of them were removed by a filter anyway');
    expect(report).toContain('an absolute change of up to 1 percentage points');
  });

  it('include keeps only the units a filter matches', () => {
    const spec = join(project, 'specs', 'first_experiment.yaml');
    const original = readFileSync(spec, 'utf8');
    writeFileSync(spec, original.replace('exclude: [internal_accounts]', 'include: [internal_accounts]'));
    try {
      const r = exptrack(project, ['run', '--json', '-q']);
      expect([0, 1]).toContain(r.code);
      const { results } = newestResults(join(project, 'reports', 'new_checkout'));
      expect(results.audience.filters[0]).toMatchObject({ mode: 'include', unitsRemoved: 4000 - 88 });
      expect(results.exposures.analysedUnits).toBe(88 - 13);
    } finally {
      writeFileSync(spec, original);
    }
  });

  it('latency is judged against the window the analysis needs: --as-of weeks later stays green; a running experiment goes stale with remedies', () => {
    const later = exptrack(project, ['run', '--as-of', '2026-11-20', '--json', '-q']);
    expect(later.code, later.stderr).toBe(0);
    const spec = join(project, 'specs', 'first_experiment.yaml');
    const original = readFileSync(spec, 'utf8');
    writeFileSync(spec, original.replace('end: 2026-09-15\n', ''));
    try {
      const r = exptrack(project, ['run', '--as-of', '2026-11-20', '--json', '-q']);
      expect(r.code).toBe(1);
      const { results } = newestResults(join(project, 'reports', 'new_checkout'));
      const stale = results.checks.find((c: { id: string }) => c.id === 'data_stale');
      expect(stale.status).toBe('fail');
      expect(stale.message).toMatch(/events: latest event 2026-09-30T12:00:00\.000Z, 1212\.0 h before 2026-11-20T00:00:00\.000Z/);
      expect(stale.message).toContain('`--as-of 2026-09');
      expect(stale.message).toContain('`as_of` in exptrack.yaml');
      expect(stale.message).toContain('set `end:` in the spec');
      expect(stale.message).toContain('max_hours');
    } finally {
      writeFileSync(spec, original);
    }
  });

  it('check locates every bad table, column and type with file:line:col and a suggestion; run refuses the same before any query', () => {
    const path = join(project, 'models', 'sources.yaml');
    const original = readFileSync(path, 'utf8');
    const broken = original
      .replace('timestamp: seen_at', 'timestamp: seen_att')
      .replace('table: app.accounts', 'table: app.acounts')
      .replace('revenue: number', 'revenue: number\n      event_name2: number')
      .replace('      event_name: string\n', '      event_name: number\n');
    writeFileSync(path, broken);
    // A source over the table whose event time is text.
    writeFileSync(join(project, 'models', 'text-events.yaml'), 'sources:\n  text_events:\n    table: app.events_text\n    units: { account: account_id }\n    timestamp: occurred_at\n');
    writeFileSync(join(project, 'models', 'text-metric.yaml'), 'metrics:\n  text_purchases:\n    type: count\n    source: text_events\n');
    const spec = join(project, 'specs', 'first_experiment.yaml');
    const specText = readFileSync(spec, 'utf8');
    writeFileSync(spec, specText.replace('secondary: [revenue_per_account]', 'secondary: [revenue_per_account, text_purchases]'));
    try {
      const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;
      const r = exptrack(project, ['check']);
      expect(r.code).toBe(2);
      const lines = r.stderr.trim().split('\n');
      expect(lines).toContain(`models/sources.yaml:${lineOf(broken, 'seen_att')}:16: error: sources.experiment_exposures.timestamp: column 'seen_att' (timestamp) does not exist in app.experiment_exposures; did you mean 'seen_at'?`);
      expect(lines).toContain(`models/sources.yaml:${lineOf(broken, 'app.acounts')}:12: error: sources.accounts.table: table 'app.acounts' does not exist in the warehouse; did you mean 'app.accounts'?`);
      expect(lines.find((l) => l.includes('sources.events.columns.event_name2'))).toMatch(/^models\/sources\.yaml:\d+:\d+: error: .*column 'event_name2' \(declared number\) does not exist in app\.events; did you mean 'event_name'\?$/);
      expect(lines.find((l) => l.includes('sources.events.columns.event_name:'))).toMatch(/column 'event_name' in app\.events is VARCHAR, not a number; declare it as string$/);
      expect(lines).toContain("models/text-events.yaml:5:16: error: sources.text_events.timestamp: column 'occurred_at' in app.events_text is VARCHAR, not a timestamp (cast it in a view, or point at a timestamp column)");
      expect(lines[lines.length - 1]).toBe('5 problems against the catalogue of duckdb (duckdb)');
      // run: the same diagnostics, exit 2, and no package.
      const before = readdirSync(join(project, 'reports', 'new_checkout')).length;
      const run = exptrack(project, ['run', '--json']);
      expect(run.code).toBe(2);
      expect(JSON.parse(run.stdout).diagnostics).toHaveLength(5);
      expect(readdirSync(join(project, 'reports', 'new_checkout')).length).toBe(before);
    } finally {
      writeFileSync(path, original);
      writeFileSync(spec, specText);
      for (const f of ['text-events.yaml', 'text-metric.yaml']) rmSync(join(project, 'models', f));
    }
  });

  it('init refuses a folder that already holds a project, and writes nothing there', () => {
    const before = readFileSync(join(project, 'exptrack.yaml'), 'utf8');
    const r = exptrack(project, ['init', '--type', 'duckdb', '--path', '../warehouse.duckdb']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/already holds a project \(exptrack\.yaml, models\/checkout\.yaml, models\/filters\.yaml/);
    expect(readFileSync(join(project, 'exptrack.yaml'), 'utf8')).toBe(before);
  });

  it('init without --introspect writes placeholders that check then names', () => {
    const dir = join(root, 'plain');
    copyFileSync(join(root, 'warehouse.duckdb'), join(root, 'copy.duckdb'));
    const r = exptrack(root, ['init', 'plain', '--type', 'duckdb', '--path', 'copy.duckdb']);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(dir, 'specs', 'spec.schema.json'))).toBe(true);
    expect(readFileSync(join(dir, 'exptrack.yaml'), 'utf8')).toContain('path: ../copy.duckdb');
    const c = exptrack(dir, ['check']);
    expect(c.code).toBe(2);
    expect(c.stderr).toContain("models/sources.yaml:6:12: error: sources.exposures.table: table 'exposures' does not exist in the warehouse (it has: app.accounts, app.events, app.events_text, app.experiment_exposures)");
    expect(c.stderr).toContain("sources.events.timestamp: column 'event_at' (timestamp) does not exist in app.events; did you mean 'event_name'?");
  });
});
