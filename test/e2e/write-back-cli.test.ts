// The CLI around results in the warehouse and --concurrency, on DuckDB with a state file: `run --json`
// says how many ran at once and where each package's results went; plain output keeps spec order;
// `write-results` writes a package again without adding rows; `decide --json` reports its row; a bad
// --concurrency is a usage error.
import { execFile } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI, demoProject } from '../helpers/demo-project.js';

const exec = promisify(execFile);
let project: string;
beforeAll(async () => {
  project = await demoProject();
  appendFileSync(join(project, 'exptrack.yaml'), '  out:\n    type: duckdb\n    path: target/demo.duckdb\n    write_schema: target/out.duckdb\n    concurrency: 2\n    results_table: ab_results\n');
}, 120_000);

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [CLI, ...args, '--project-dir', project], { env: { ...process.env, NO_COLOR: '1' } });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

async function count(table: string): Promise<number> {
  const inst = await DuckDBInstance.create(join(project, 'target', 'out.duckdb'), { access_mode: 'READ_ONLY' });
  const c = await inst.connect();
  try {
    return Number((await c.runAndReadAll(`SELECT count(*) AS n FROM ${table}`)).getRowObjectsJS()[0].n);
  } finally {
    c.closeSync();
    inst.closeSync();
  }
}

describe('write-back and --concurrency through the CLI', () => {
  it('run, write-results and decide write to the configured tables', async () => {
    const run = await cli(['run', '--target', 'out', '--json', '--quiet']);
    expect(run.code, run.stderr).toBeLessThan(2);
    const summary = JSON.parse(run.stdout) as { concurrency: number; experiments: { id: string; runId: string; recommendation: string; variant: string | null; warehouseResults: { written: boolean; table: string; rows: number } }[] };
    expect(summary.concurrency).toBe(2);
    const rows = summary.experiments.reduce((a, e) => a + e.warehouseResults.rows, 0);
    for (const e of summary.experiments) expect(e.warehouseResults).toMatchObject({ written: true, table: 'exptrack_state.main.ab_results' });
    expect(await count('ab_results')).toBe(rows);

    const first = summary.experiments[0];
    const again = await cli(['write-results', first.id, '--target', 'out', '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout).written[0]).toMatchObject({ experiment: first.id, runId: first.runId, results: { written: true } });
    expect(await count('ab_results')).toBe(rows);

    const decide = await cli(['decide', first.id, '--target', 'out', '--decision', 'stop', '--by', 'Ana', '--note', 'done', '--acknowledge', 'test', '--json']);
    expect(decide.code, decide.stderr).toBe(0);
    expect(JSON.parse(decide.stdout).warehouseDecisions).toMatchObject({ written: true, rows: 1, table: 'exptrack_state.main.exptrack_decisions' });
    expect(await count('exptrack_decisions')).toBe(1);
  }, 300_000);

  it('prints one line per experiment in spec order with --concurrency 3, and refuses --concurrency 0', async () => {
    const ordered = await cli(['run', '--quiet']);
    const concurrent = await cli(['run', '--concurrency', '3']);
    expect(concurrent.code).toBe(ordered.code);
    const ids = (out: string) => out.trim().split('\n').map((l) => l.split(':')[0]);
    expect(ids(concurrent.stdout)).toEqual(ids(ordered.stdout));
    expect(ids(ordered.stdout).length).toBeGreaterThan(3);
    // Progress comes in whole lines when experiments overlap.
    for (const line of concurrent.stderr.trim().split('\n').filter((l) => / rows, /.test(l))) expect(line).toMatch(/^[a-z_]+: \[\d+\/\d+\] [a-z_]+ \.\.\. \d+ rows, \d+ ms/);
    const bad = await cli(['run', '--concurrency', '0']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/at least 1/);
  }, 300_000);
});
