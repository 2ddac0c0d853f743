import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildDemoData } from '../../src/demo/build-demo-data.js';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const CLI = join(REPO_ROOT, 'bin', 'exptrack.js');

/** A copy of the repository's demo project (config, models, specs) in a temp dir, optionally with its warehouse built. */
export async function demoProject(opts: { withData?: boolean } = {}): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'exptrack-demo-'));
  cpSync(join(REPO_ROOT, 'exptrack.yaml'), join(dir, 'exptrack.yaml'));
  cpSync(join(REPO_ROOT, 'models'), join(dir, 'models'), { recursive: true });
  cpSync(join(REPO_ROOT, 'specs'), join(dir, 'specs'), { recursive: true });
  if (opts.withData !== false) await buildDemoData(join(dir, 'target', 'demo.duckdb'));
  return dir;
}
