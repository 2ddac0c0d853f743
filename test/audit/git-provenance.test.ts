import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gitProvenance, gitProvenanceAsync } from '../../src/audit/git-provenance.js';

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();

/** A new repository holding specs/a.yaml and `other` (name to content), committed once: [root, commit]. */
function repoWithSpec(other: Record<string, string>): [string, string] {
  const root = mkdtempSync(join(tmpdir(), 'exptrack-git-'));
  mkdirSync(join(root, 'specs'));
  writeFileSync(join(root, 'specs', 'a.yaml'), 'id: a\n');
  for (const [name, text] of Object.entries(other)) writeFileSync(join(root, name), text);
  git(root, 'init', '-q');
  git(root, 'add', '.');
  git(root, 'commit', '-qm', 'spec');
  return [root, git(root, 'rev-parse', 'HEAD')];
}

describe('git provenance', () => {
  it('records the commit, the last commit touching the spec and uncommitted input changes', () => {
    const [root, specCommit] = repoWithSpec({ 'other.txt': '1\n' });
    writeFileSync(join(root, 'other.txt'), '2\n');
    git(root, 'commit', '-qam', 'other');
    const head = git(root, 'rev-parse', 'HEAD');

    expect(gitProvenance(root, 'specs/a.yaml', ['specs/a.yaml'])).toEqual({ commit: head, dirty: false, dirtyFiles: [], specCommit });
    // Uncommitted changes elsewhere do not make the inputs dirty; a changed spec does.
    writeFileSync(join(root, 'other.txt'), '3\n');
    expect(gitProvenance(root, 'specs/a.yaml', ['specs/a.yaml'])?.dirty).toBe(false);
    writeFileSync(join(root, 'specs', 'a.yaml'), 'id: a\nname: A\n');
    expect(gitProvenance(root, 'specs/a.yaml', ['specs/a.yaml'])).toMatchObject({ dirty: true, dirtyFiles: ['specs/a.yaml'] });
  });

  it('reads the same facts in the background (the run starts this with its queries)', async () => {
    const [root, specCommit] = repoWithSpec({ 'm.yaml': 'models: []\n' });
    writeFileSync(join(root, 'm.yaml'), 'models: [x]\n');
    writeFileSync(join(root, 'new.yaml'), 'untracked\n');
    const inputs = ['specs/a.yaml', 'm.yaml', 'new.yaml'];
    const background = await gitProvenanceAsync(root, 'specs/a.yaml', inputs);
    expect(background).toEqual({ commit: specCommit, dirty: true, dirtyFiles: ['m.yaml', 'new.yaml'], specCommit });
    expect(background).toEqual(gitProvenance(root, 'specs/a.yaml', inputs));
    expect(await gitProvenanceAsync(mkdtempSync(join(tmpdir(), 'exptrack-nogit-')), 'specs/a.yaml', [])).toBeNull();
  });

  it('is null outside a git work tree', () => {
    expect(gitProvenance(mkdtempSync(join(tmpdir(), 'exptrack-nogit-')), 'specs/a.yaml', [])).toBeNull();
  });
});
