// Golden SQL: the compiled SQL of every demo spec for every registered warehouse, checked in under
// test/golden/<warehouse>/<spec id>/<step file>.sql and compared byte for byte. A new warehouse in
// the registry is picked up here without any change. `npm run golden` rewrites the files (and
// removes stale ones); review the diff like code.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { warehouseNames } from '../../src/warehouse/registry.js';
import { REPO_ROOT } from '../helpers/demo-project.js';
import { compileDemoFor, compiledQueries } from './demo-compile.js';

const GOLDEN_DIR = join(REPO_ROOT, 'test', 'golden');
const UPDATE = process.env.EXPTRACK_UPDATE_GOLDEN === '1';

/** Every file under `dir`, as a path relative to `root` with forward slashes. */
function filesUnder(dir: string, root = dir): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? filesUnder(p, root) : [relative(root, p).split('\\').join('/')];
  });
}

describe.each(warehouseNames())('golden SQL for %s', (warehouse) => {
  const dir = join(GOLDEN_DIR, warehouse);
  const queries = compiledQueries(compileDemoFor(warehouse));

  it('compiles every demo spec', () => {
    expect(queries.length).toBeGreaterThanOrEqual(3);
  });

  it.each(queries.map((q) => [q.key, q.sql] as const))('%s matches its golden file', (key, sql) => {
    const path = join(dir, key);
    if (UPDATE) {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, sql);
    }
    expect(existsSync(path), `${relative(REPO_ROOT, path)} is missing: run \`npm run golden\` and review the new file`).toBe(true);
    expect(readFileSync(path, 'utf8'), `${relative(REPO_ROOT, path)} differs: if the change is intended, run \`npm run golden\``).toBe(sql);
  });

  it('has no golden file that no demo query produces', () => {
    const expected = new Set(queries.map((q) => q.key));
    const stale = filesUnder(dir).filter((f) => !expected.has(f));
    if (UPDATE) for (const f of stale) rmSync(join(dir, f));
    else expect(stale, 'stale golden files: run `npm run golden`').toEqual([]);
  });
});
