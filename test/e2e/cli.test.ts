import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI, demoProject } from '../helpers/demo-project.js';

const exec = promisify(execFile);

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI as a whole process, the way cron or Airflow would. */
async function cli(args: string[], cwd?: string): Promise<Outcome> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' } });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

let project: string;
beforeAll(async () => {
  project = await demoProject();
});

describe('exptrack CLI', () => {
  it('has --help for the program and every command, with the exit codes', async () => {
    const top = await cli(['--help']);
    expect(top.code).toBe(0);
    expect(top.stdout).toMatch(/Exit codes: 0 .* 1 .* 2/);
    for (const c of ['compile', 'run', 'verify', 'schema', 'demo', 'plan', 'analyze']) {
      const r = await cli([c, '--help']);
      expect(r.code, c).toBe(0);
      expect(r.stdout, c).toContain(`Usage: exptrack ${c}`);
    }
  });

  it('plan --json measures the baseline in the warehouse and sizes the experiment, fixed-horizon and sequential', async () => {
    const r = await cli(['plan', 'checkout_redesign', '--json', '--days', '3', '--lift', '0.33', '--project-dir', project]);
    expect(r.code, r.stderr).toBe(0);
    const { plan } = JSON.parse(r.stdout);
    expect(plan.metric).toEqual({ name: 'order_completed', kind: 'proportion' });
    expect(plan.baseline.mean).toBeGreaterThan(0.05);
    expect(plan.baseline.mean).toBeLessThan(0.3);
    expect(plan.baseline.variance).toBeCloseTo(plan.baseline.mean * (1 - plan.baseline.mean), 12);
    expect(plan.dailyUnits).toBeCloseTo(plan.preperiod.unitsSeen / 28, 9);
    // Sequential tests pay for peeking: more units for the same effect, lower power for the same days.
    expect(plan.forMde.sequential.unitsPerArm[0]).toBeGreaterThan(plan.forMde.fixed.unitsPerArm[0]);
    expect(plan.forLift.sequential).toBeLessThan(plan.forLift.fixed);
    expect(plan.forDuration.fixed.relativeMde).toBeLessThan(plan.forDuration.sequential.relativeMde);
  });

  it('run --json names the kind of a warehouse failure, so a scheduler can tell a missing table from a timeout', async () => {
    const models = join(project, 'models', 'sources.yaml');
    const original = readFileSync(models, 'utf8');
    writeFileSync(models, original.replace('table: main.app_events', 'table: main.app_event'));
    try {
      // run's first step checks the sources against the catalogue: the missing table is named at its
      // model line, with a suggestion, before any query runs.
      const r = await cli(['run', 'mobile_onboarding', '--json', '--project-dir', project]);
      expect(r.code).toBe(2);
      const out = JSON.parse(r.stdout);
      expect(out.diagnostics).toEqual([expect.objectContaining({ file: 'models/sources.yaml', field: 'sources.app_events.table' })]);
      expect(out.diagnostics[0].message).toContain("did you mean 'main.app_events'?");
    } finally {
      writeFileSync(models, original);
    }
  });

  it('plan works before launch, when the spec starts after as-of (nothing to compile yet)', async () => {
    const spec = readFileSync(join(project, 'specs', 'checkout_redesign.yaml'), 'utf8').replace('id: checkout_redesign', 'id: checkout_next').replace('start: 2026-10-04', 'start: 2026-12-01');
    writeFileSync(join(project, 'specs', 'checkout_next.yaml'), spec);
    try {
      const r = await cli(['plan', 'checkout_next', '--json', '--project-dir', project]);
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout).plan.preperiod.end).toBe('2026-11-01T00:00:00.000Z');
    } finally {
      rmSync(join(project, 'specs', 'checkout_next.yaml'));
    }
  });

  it('plan refuses a pre-period shorter than the metric window, with exit 2', async () => {
    const r = await cli(['plan', 'checkout_redesign', '--lookback', '5', '--project-dir', project]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("a 5-day pre-period is shorter than the primary metric's window");
  });

  it('run --json prints one JSON summary on stdout, progress on stderr, and exits 1 when an error check fails', async () => {
    const r = await cli(['run', '--json', '--project-dir', project]);
    expect(r.code).toBe(1);
    const summary = JSON.parse(r.stdout);
    expect(summary.exitCode).toBe(1);
    expect(summary.experiments).toHaveLength(8);
    expect(summary.experiments.find((e: { id: string }) => e.id === 'pricing_banner').failedChecks).toContainEqual({ reasonCode: 'SRM_DETECTED', severity: 'error' });
    expect(r.stderr).toContain('checkout_redesign: [1/6] exposures');
    expect(r.stderr).toContain('[3/6] sources');
    expect(r.stderr).toContain('[4/6] fingerprints');
  });

  it('exits 0 when the selected experiments pass their error checks, and verify accepts the package', async () => {
    const r = await cli(['run', 'checkout_redesign', '--json', '--quiet', '--project-dir', project]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const dir = JSON.parse(r.stdout).experiments[0].packageDir;
    const v = await cli(['verify', dir]);
    expect(v.code).toBe(0);
    expect(v.stdout).toMatch(/^OK /);
    writeFileSync(join(dir, 'report.md'), `${readFileSync(join(dir, 'report.md'), 'utf8')} `);
    const bad = await cli(['verify', '--json', dir]);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout).packages[0].problems).toContainEqual(expect.objectContaining({ file: 'report.md', kind: 'changed' }));
  });

  it('exits 2 with a clear message for an unknown target, a missing database, and an invalid spec', async () => {
    const target = await cli(['run', '--target', 'prod', '--project-dir', project]);
    expect(target.code).toBe(2);
    expect(target.stderr).toContain("unknown target 'prod'");

    const empty = await demoProject({ withData: false });
    const missing = await cli(['run', '--project-dir', empty]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('target/demo.duckdb does not exist');

    const spec = join(empty, 'specs', 'checkout_redesign.yaml');
    writeFileSync(spec, readFileSync(spec, 'utf8').replace('primary: order_completed', 'primary: order_complete'));
    const invalid = await cli(['run', '--json', '--project-dir', empty]);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toMatch(/specs\/checkout_redesign\.yaml:\d+:\d+: error: metrics\.primary: unknown metric 'order_complete'; did you mean 'order_completed'\?/);
    const json = JSON.parse(invalid.stdout);
    expect(json.ok).toBe(false);
    expect(json.diagnostics[0]).toMatchObject({ file: 'specs/checkout_redesign.yaml', field: 'metrics.primary' });
    expect(existsSync(join(empty, 'reports'))).toBe(false);
    expect(existsSync(join(empty, 'target', 'compiled'))).toBe(false);
  });

  it('two concurrent runs of the same experiment write two complete packages', async () => {
    const [a, b] = await Promise.all([
      cli(['run', 'homepage_aa', '--json', '--quiet', '--project-dir', project]),
      cli(['run', 'homepage_aa', '--json', '--quiet', '--project-dir', project]),
    ]);
    expect([a.code, b.code]).toEqual([0, 0]);
    const dirs = [a, b].map((r) => JSON.parse(r.stdout).experiments[0].packageDir);
    expect(dirs[0]).not.toBe(dirs[1]);
    expect((await cli(['verify', ...dirs])).code).toBe(0);
    expect(readdirSync(join(project, 'reports', 'homepage_aa')).filter((n) => n.startsWith('.tmp'))).toEqual([]);
  });

  it('demo builds the warehouse when absent, runs every spec and exits 0', async () => {
    const fresh = await demoProject({ withData: false });
    const r = await cli(['demo', '--project-dir', fresh]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('building demo warehouse');
    expect(r.stdout).toContain('checkout_redesign: SHIP one_page');
    expect(readdirSync(join(fresh, 'reports')).sort()).toEqual(['checkout_layout_copy', 'checkout_redesign', 'homepage_aa', 'homepage_hero', 'index.md', 'mobile_onboarding', 'pricing_banner', 'recommendation_carousel', 'upsell_widget']);
  });

  it('the committed JSON Schemas are the ones the zod schemas generate', async () => {
    const r = await cli(['schema', '--check']);
    expect(r.stdout).toBe('');
    expect(r.code).toBe(0);
  });
});
