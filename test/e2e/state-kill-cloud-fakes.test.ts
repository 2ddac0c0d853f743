// kill -9 during an incremental refresh on BigQuery and Snowflake, through the CLI and the official SDKs
// against the session-aware FAKE servers (test/helpers/cloud-state-fakes.ts), at the same phase
// boundaries as test/matrix/state-kill.test.ts: the first statement of setup, stage, reads and writes
// (all before BEGIN on these warehouses), just before COMMIT (inside the write transaction) and just after
// it. Before COMMIT the stored state must stay the previous run's, read from outside at once; after it
// the new one whole; the next run must equal a full refresh byte for byte. Between runs the test ends the
// killed client's sessions, rolling back what they held open, as the warehouse does when it expires them
// (README "Scheduled runs": until then a new run's claim waits or is cancelled).
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Results } from '../../src/run/results.js';
import { KILL_POINTS, type KillPoint } from '../../src/state/refresh-state.js';
import { statisticsJson } from '../../src/state/refresh-identity.js';
import { arrivedCopy } from '../helpers/arrival-copy.js';
import { CLOUD_FAKES_PASSWORD, CLOUD_FAKES_PASSWORD_ENV, deliver, startCloud, stored, type Cloud } from '../helpers/cloud-state-fakes.js';
import { CLI, demoProject } from '../helpers/demo-project.js';

const SPEC = 'checkout_redesign';
const DAY1 = '2026-10-07T00:00:00.000Z';
const DAY2 = '2026-10-08T00:00:00.000Z';

let project: string;
beforeAll(async () => {
  project = await demoProject();
}, 120_000);

interface Exit {
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The CLI in a child process, not blocking this one: the fake servers answer from here. */
function cli(dir: string, args: string[], killAt?: KillPoint): Promise<Exit> {
  const env: NodeJS.ProcessEnv = { ...process.env, [CLOUD_FAKES_PASSWORD_ENV]: CLOUD_FAKES_PASSWORD };
  if (killAt === undefined) delete env.EXPTRACK_TEST_KILL_AT;
  else env.EXPTRACK_TEST_KILL_AT = killAt;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, 'run', SPEC, '--project-dir', dir, '--json', '-q', ...args], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += String(d)));
    child.stderr.on('data', (d) => (stderr += String(d)));
    child.on('close', (_code, signal) => resolve({ signal, stdout, stderr }));
  });
}

const statistics = (out: Exit) => {
  const summary = JSON.parse(out.stdout) as { experiments: { packageDir: string }[] };
  return statisticsJson(JSON.parse(readFileSync(join(summary.experiments[0].packageDir, 'results.json'), 'utf8')) as Results);
};

describe.each(['bigquery', 'snowflake'] as const)('kill -9 during an incremental refresh through the fake %s', (cloud) => {
  let c: Cloud;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), `exptrack-kill-${cloud}-`));
    for (const f of ['models', 'specs']) cpSync(join(project, f), join(dir, f), { recursive: true });
    const file = join(dir, 'warehouse.duckdb');
    await arrivedCopy(join(project, 'target', 'demo.duckdb'), file, DAY1, null);
    c = await startCloud(cloud, file, 'plain');
    const withState = `${c.yaml.replace('  plain:', '  st:')}    write_schema: exptrack_state\n    late_lookback: 1d\n`;
    writeFileSync(join(dir, 'exptrack.yaml'), `name: kill\ndefault_target: plain\ntargets:\n${c.yaml}${withState}`);
  }, 120_000);
  afterAll(async () => {
    await c?.stop();
  });

  it('leaves the previous state at each phase boundary before COMMIT, the new one whole after it, and the next run correct', async () => {
    const run = (killAt?: KillPoint) => cli(dir, ['--target', 'st', '--incremental', '--as-of', DAY2], killAt);
    const first = await cli(dir, ['--target', 'st', '--incremental', '--as-of', DAY1]);
    expect(first.signal, first.stderr).toBeNull();
    await deliver(join(project, 'target', 'demo.duckdb'), c.admin, dir, DAY2, DAY1);
    const full = await cli(dir, ['--target', 'plain', '--as-of', DAY2, '--reports-dir', join(dir, 'full')]);
    expect(full.signal, full.stderr).toBeNull();
    const before = await stored(c.admin, SPEC);
    expect(before).toContain(DAY1);
    for (const point of KILL_POINTS.filter((p) => p !== 'committed')) {
      const r = await run(point);
      expect(r.signal, `kill at ${point}: ${r.stderr}`).toBe('SIGKILL');
      // At once, from outside the dead session: nothing of the refresh is visible.
      expect(await stored(c.admin, SPEC), `after a kill at ${point}`).toBe(before);
      await c.endSessions();
      expect(await stored(c.admin, SPEC), `after the session of a kill at ${point} ended`).toBe(before);
    }
    const next = await run();
    expect(next.signal, next.stderr).toBeNull();
    expect(statistics(next)).toBe(statistics(full));
    const after = await stored(c.admin, SPEC);
    expect(after).not.toBe(before);
    expect(after).toContain(DAY2);
    // Killed just after COMMIT (no package written): the new state whole, and a re-run from it is correct.
    const late = await run('committed');
    expect(late.signal, late.stderr).toBe('SIGKILL');
    await c.endSessions();
    expect((await stored(c.admin, SPEC)).split('\n').slice(1)).toEqual(after.split('\n').slice(1));
    const again = await run();
    expect(again.signal, again.stderr).toBeNull();
    expect(statistics(again)).toBe(statistics(full));
    // Every committed refresh committed its own transaction; the killed ones committed nothing.
    expect(c.stats().commits).toBe(4);
    if (cloud === 'snowflake') expect(c.stats().implicitCommits).toBe(0);
  }, 600_000);
});
