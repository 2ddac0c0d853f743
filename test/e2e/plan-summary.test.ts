import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { powerForLift, sampleSizeForMde } from '../../src/stats/index.js';
import { CLI } from '../helpers/demo-project.js';

const exec = promisify(execFile);
// An empty folder: no exptrack.yaml, no spec, no warehouse.
const empty = mkdtempSync(join(tmpdir(), 'exptrack-plan-summary-'));

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [CLI, ...args], { cwd: empty });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('exptrack plan from summary numbers (issue #12)', () => {
  it('--help shows the summary and mid-experiment options', async () => {
    const r = await cli(['plan', '--help']);
    for (const flag of ['--baseline-rate', '--baseline-mean', '--baseline-sd', '--units-per-day', '--variations', '--alpha', '--sides', '--tuning', '--elapsed-days', '--observed-lift', '--observed-se']) expect(r.stdout).toContain(flag);
  });

  it('plans without a spec or warehouse, with the same numbers as the power functions', async () => {
    const r = await cli(['plan', '--baseline-rate', '0.12', '--units-per-day', '2000', '--mde', '0.1', '--lift', '0.1', '--days', '14', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const plan = JSON.parse(r.stdout).plan;
    const inputs = { baselineMean: 0.12, baselineVariance: 0.12 * 0.88, kind: 'proportion' as const, dailyUnits: 2000, weights: [0.5, 0.5] };
    expect(plan.forMde.fixed).toEqual(sampleSizeForMde(inputs, 0.1));
    expect(plan.forLift.sequential).toBeCloseTo(powerForLift({ ...inputs, sequential: true }, 0.1, 14), 12);
  });

  it('gives the power left mid-experiment, and refuses incomplete or contradictory input', async () => {
    const args = ['plan', '--baseline-mean', '7.2', '--baseline-sd', '30', '--units-per-day', '1000', '--variations', '3', '--days', '28', '--mde', '0.1'];
    const r = await cli([...args, '--elapsed-days', '7', '--observed-lift', '0.02', '--observed-se', '0.06', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const i = JSON.parse(r.stdout).plan.interim;
    expect(i.fraction).toBeCloseTo(0.25, 12);
    expect(i.underMde.fixed).toBeGreaterThan(i.underObservedLift.fixed);
    expect((await cli([...args, '--elapsed-days', '7'])).stderr).toContain('--observed-lift');
    expect((await cli(['plan', '--baseline-rate', '0.1', '--baseline-mean', '3', '--units-per-day', '5'])).stderr).toContain('not both');
    expect((await cli(['plan', '--baseline-rate', '0.1'])).code).toBe(2);
  });
});
