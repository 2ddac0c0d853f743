// kill -9 at each phase boundary of an incremental refresh (first statement of setup, stage, reads and
// writes; just before and just after COMMIT), on every warehouse that runs here: before COMMIT the
// stored state must stay the previous run's, after it the new one whole, and the next run must still
// equal a full refresh byte for byte. One kill per boundary rather than per statement, on the first days
// of the demo experiment, keeps this to a few CLI runs per warehouse on the shared Postgres server.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { stringify } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Results } from '../../src/run/results.js';
import { KILL_POINTS, type KillPoint } from '../../src/state/refresh-state.js';
import { statisticsJson } from '../../src/state/refresh-identity.js';
import { arrivedCopy } from '../helpers/arrival-copy.js';
import { CLI, demoProject } from '../helpers/demo-project.js';
import { loadDuckdbIntoPostgres } from '../helpers/load-demo-into-postgres.js';
import { adminClient, freshDatabase, postgresServer, TEST_PASSWORD_ENV } from '../helpers/postgres-database.js';

const SPEC = 'checkout_redesign';
// The demo experiment starts on 2026-10-04: its first days keep the data (and the test) small.
const DAY1 = '2026-10-07T00:00:00.000Z';
const DAY2 = '2026-10-08T00:00:00.000Z';

let project: string;
beforeAll(async () => {
  project = await demoProject();
}, 120_000);

function cli(dir: string, args: string[], killAt?: KillPoint) {
  const env = { ...process.env };
  if (killAt === undefined) delete env.EXPTRACK_TEST_KILL_AT;
  else env.EXPTRACK_TEST_KILL_AT = killAt;
  return spawnSync(process.execPath, [CLI, 'run', SPEC, '--project-dir', dir, '--json', '-q', ...args], { encoding: 'utf8', env });
}

const packageResults = (stdout: string) => {
  const summary = JSON.parse(stdout) as { experiments: { packageDir: string }[] };
  return JSON.parse(readFileSync(join(summary.experiments[0].packageDir, 'results.json'), 'utf8')) as Results;
};

describe.each(['duckdb', 'postgres'] as const)('kill -9 during an incremental refresh on %s', (warehouse) => {
  it('leaves the previous state usable at each phase boundary, the new one whole after COMMIT, and the next run correct', async () => {
    const dir = mkdtempSync(join(tmpdir(), `exptrack-kill-${warehouse}-`));
    for (const f of ['models', 'specs']) spawnSync('cp', ['-r', join(project, f), dir]);
    const arrived = join(dir, 'arrived.duckdb');
    const database = 'exptrack_state_kill';
    let storedAsOf: () => Promise<string | null>;
    let deliver: (asOf: string, since: string | null) => Promise<void>;
    let source: Record<string, unknown>;
    if (warehouse === 'duckdb') {
      source = { type: 'duckdb', path: 'arrived.duckdb' };
      deliver = async (asOf, since) => void (await arrivedCopy(join(project, 'target', 'demo.duckdb'), arrived, asOf, since));
      storedAsOf = async () => {
        const instance = await DuckDBInstance.create(join(dir, 'state.duckdb'));
        try {
          const c = await instance.connect();
          const rows = (await c.runAndReadAll(`SELECT as_of FROM main.exptrack_state WHERE experiment_id = '${SPEC}'`)).getRowObjectsJS();
          c.closeSync();
          return rows.length ? String(rows[0].as_of) : null;
        } finally {
          instance.closeSync();
        }
      };
    } else {
      const server = postgresServer();
      await freshDatabase(server, database);
      source = { type: 'postgres', host: server.host, port: server.port, database, user: server.user, password_env: TEST_PASSWORD_ENV };
      deliver = async (asOf, since) => {
        await arrivedCopy(join(project, 'target', 'demo.duckdb'), arrived, asOf, since);
        const admin = await adminClient(server, database);
        try {
          await loadDuckdbIntoPostgres(arrived, admin);
        } finally {
          await admin.end();
        }
      };
      storedAsOf = async () => {
        const admin = await adminClient(server, database);
        try {
          const { rows } = await admin.query(`SELECT as_of FROM exptrack_state.exptrack_state WHERE experiment_id = $1`, [SPEC]);
          return rows.length ? String(rows[0].as_of) : null;
        } finally {
          await admin.end();
        }
      };
    }
    const writeSchema = warehouse === 'duckdb' ? 'state.duckdb' : 'exptrack_state';
    writeFileSync(join(dir, 'exptrack.yaml'), stringify({ name: 'kill', default_target: 'plain', targets: { plain: source, st: { ...source, write_schema: writeSchema, late_lookback: '1d' } } }));

    await deliver(DAY1, null);
    const first = cli(dir, ['--target', 'st', '--incremental', '--as-of', DAY1]);
    expect(first.status, first.stderr).not.toBeNull();
    expect(await storedAsOf()).toBe(DAY1);

    await deliver(DAY2, DAY1);
    const run = (killAt?: KillPoint) => cli(dir, ['--target', 'st', '--incremental', '--as-of', DAY2], killAt);
    const full = cli(dir, ['--target', 'plain', '--as-of', DAY2, '--reports-dir', join(dir, 'full')]);
    expect(full.status, full.stderr).toBe(0);
    // Killed anywhere before COMMIT: the previous state, untouched.
    for (const point of KILL_POINTS.filter((p) => p !== 'committed')) {
      const r = run(point);
      expect(r.signal, `kill at ${point}: ${r.stderr}`).toBe('SIGKILL');
      expect(await storedAsOf(), `after a kill at ${point}`).toBe(DAY1);
    }
    // ... and the next run is correct.
    const next = run();
    expect(next.signal, next.stderr).toBeNull();
    expect(statisticsJson(packageResults(next.stdout))).toBe(statisticsJson(packageResults(full.stdout)));
    expect(await storedAsOf()).toBe(DAY2);
    // Killed just after COMMIT (no package written): the new state whole, and a re-run from it is correct.
    const late = run('committed');
    expect(late.signal, late.stderr).toBe('SIGKILL');
    expect(await storedAsOf()).toBe(DAY2);
    const again = run();
    expect(again.signal, again.stderr).toBeNull();
    expect(statisticsJson(packageResults(again.stdout))).toBe(statisticsJson(packageResults(full.stdout)));
  }, 300_000);
});
