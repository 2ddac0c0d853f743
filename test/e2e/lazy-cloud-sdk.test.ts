// The cloud SDKs load only when a target of theirs is used: a module-resolution hook in the CLI
// process fails any import of them, and `--help`, compile (any target) and a DuckDB run must still
// succeed. Structural, not timed (start-up time is measured by the benchmark).
import { execFile } from 'node:child_process';
import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI, demoProject } from '../helpers/demo-project.js';

const exec = promisify(execFile);
const CLOUD_SDKS = ['@google-cloud/bigquery', 'snowflake-sdk'];

const hookDir = mkdtempSync(join(tmpdir(), 'exptrack-lazy-'));
const hooks = join(hookDir, 'refuse-cloud-sdks.mjs');
const register = join(hookDir, 'register.mjs');
writeFileSync(
  hooks,
  `const refused = ${JSON.stringify(CLOUD_SDKS)};
export async function resolve(specifier, context, next) {
  if (refused.some((p) => specifier === p || specifier.startsWith(p + '/'))) throw new Error('cloud SDK loaded: ' + specifier);
  return next(specifier, context);
}
`,
);
writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`);

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, ['--import', pathToFileURL(register).href, CLI, ...args], { env: { ...process.env, NO_COLOR: '1' } });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

let project: string;
beforeAll(async () => {
  project = await demoProject();
  appendFileSync(join(project, 'exptrack.yaml'), '  bq:\n    type: bigquery\n    project: demo-project\n    api_endpoint: http://127.0.0.1:9\n');
});

describe('cloud SDKs load lazily', () => {
  it('--help loads none', async () => {
    const r = await cli(['--help']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('compile loads none, for the DuckDB and the BigQuery target alike', async () => {
    for (const t of ['local', 'bq']) {
      const r = await cli(['compile', '-t', t, '--project-dir', project]);
      expect(r.stderr, t).not.toContain('cloud SDK loaded');
      expect(r.code, t).toBe(0);
    }
  });

  it('a DuckDB run loads none', async () => {
    const r = await cli(['run', 'homepage_aa', '--quiet', '--project-dir', project]);
    expect(r.stderr).not.toContain('cloud SDK loaded');
    expect(r.code).toBe(0);
  });

  it('the hook does catch the BigQuery SDK when its target is used (the check is not vacuous)', async () => {
    const r = await cli(['compile', '--estimate', '-t', 'bq', '--project-dir', project]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('cloud SDK loaded: @google-cloud/bigquery');
  });
});
