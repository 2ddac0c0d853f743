// `exptrack --help` and DuckDB work must not load snowflake-sdk (start-up cost, and no cloud SDK
// for users who never use it). Checked by which modules a real process loaded, not by timing.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, REPO_ROOT, demoProject } from '../helpers/demo-project.js';

// Preloaded into the child: at exit, reports whether any snowflake-sdk file was loaded.
const REPORT = `process.on('exit', () => process.stderr.write('\\nSNOWFLAKE_SDK_LOADED=' + Object.keys(require.cache).some((k) => k.includes('snowflake-sdk')) + '\\n'));`;

const preload = join(mkdtempSync(join(tmpdir(), 'exptrack-lazy-')), 'report-sdk.cjs');
writeFileSync(preload, REPORT);

function sdkLoaded(args: string[]): boolean {
  const r = spawnSync(process.execPath, ['-r', preload, ...args], { cwd: REPO_ROOT, encoding: 'utf8' });
  const m = /SNOWFLAKE_SDK_LOADED=(true|false)/.exec(r.stderr);
  if (!m) throw new Error(`no report from the child: ${r.stderr}`);
  return m[1] === 'true';
}

describe('snowflake-sdk is loaded only when a Snowflake target is used', () => {
  it('exptrack --help does not load it', () => {
    expect(sdkLoaded([CLI, '--help'])).toBe(false);
  });

  it('compiling the demo for DuckDB does not load it', async () => {
    const root = await demoProject({ withData: false });
    expect(sdkLoaded([CLI, 'compile', '--project-dir', root, '--json'])).toBe(false);
  });

  it('the Snowflake adapter module does load it (the check can fail)', () => {
    expect(sdkLoaded(['--input-type=module', '-e', `await import(${JSON.stringify(join(REPO_ROOT, 'dist/src/warehouse/snowflake/adapter.js'))})`])).toBe(true);
  });
});
