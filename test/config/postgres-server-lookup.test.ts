// Where the test setup looks for PostgreSQL's binaries, and what it says when they are missing.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findPostgresBin } from '../helpers/postgres-server.js';

function fakeInstall(versions: string[]): string {
  const root = mkdtempSync(join(tmpdir(), 'exptrack-pgroot-'));
  for (const v of versions) {
    mkdirSync(join(root, v, 'bin'), { recursive: true });
    for (const tool of ['initdb', 'pg_ctl']) writeFileSync(join(root, v, 'bin', tool), '');
  }
  return root;
}

describe('findPostgresBin', () => {
  it("prefers PATH, then the newest of Debian's versioned folders", () => {
    const root = fakeInstall(['13', '16', '9']);
    expect(findPostgresBin('/nonexistent', root)).toBe(join(root, '16', 'bin'));
    expect(findPostgresBin(`/nonexistent:${join(root, '9', 'bin')}`, root)).toBe(join(root, '9', 'bin'));
  });

  it("fails, naming Debian's postgresql package, when there are none", () => {
    expect(() => findPostgresBin('/nonexistent', join(tmpdir(), 'no-such-postgresql-root'))).toThrow(/apt-get install -y postgresql/);
  });
});
