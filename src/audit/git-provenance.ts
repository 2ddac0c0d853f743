import { execFile, execFileSync } from 'node:child_process';

export interface GitProvenance {
  commit: string;
  /** Uncommitted changes to the spec, models or exptrack.yaml this run used. */
  dirty: boolean;
  dirtyFiles: string[];
  /** The last commit that touched the spec file (null when it was never committed). */
  specCommit: string | null;
}

function git(root: string, args: string[]): string | null {
  try {
    // trimEnd only: a porcelain status line starts with a meaningful space (' M file').
    return execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 10_000 }).trimEnd();
  } catch {
    return null;
  }
}

function gitAsync(root: string, args: string[]): Promise<string | null> {
  return new Promise((done) => {
    execFile('git', args, { cwd: root, encoding: 'utf8', timeout: 10_000 }, (error, stdout) => done(error ? null : stdout.trimEnd()));
  });
}

const provenanceArgs = (specFile: string, inputFiles: string[]) => [
  ['rev-parse', 'HEAD'],
  ['status', '--porcelain', '--untracked-files=all', '--', ...inputFiles],
  ['log', '-1', '--format=%H', '--', specFile],
];

function provenance(commit: string | null, status: string | null, specCommit: string | null): GitProvenance | null {
  if (!commit || !/^[0-9a-f]{40}$/.test(commit)) return null;
  const dirtyFiles = (status ?? '').split('\n').filter(Boolean).map((l) => l.slice(3)).sort();
  return { commit, dirty: dirtyFiles.length > 0, dirtyFiles, specCommit: specCommit || null };
}

/** Git facts about the project's inputs, or null outside a git work tree (or without git). */
export function gitProvenance(root: string, specFile: string, inputFiles: string[]): GitProvenance | null {
  const [head, status, log] = provenanceArgs(specFile, inputFiles);
  const commit = git(root, head);
  if (!commit || !/^[0-9a-f]{40}$/.test(commit)) return null;
  return provenance(commit, git(root, status), git(root, log));
}

/**
 * The same facts, the three git commands at once and in the background: a run starts this with its
 * queries (the inputs were read already, when the run compiled them) and awaits it when it writes the
 * package, instead of waiting some 150 ms for three git processes one after the other at the end.
 */
export async function gitProvenanceAsync(root: string, specFile: string, inputFiles: string[]): Promise<GitProvenance | null> {
  const [commit, status, specCommit] = await Promise.all(provenanceArgs(specFile, inputFiles).map((args) => gitAsync(root, args)));
  return provenance(commit, status, specCommit);
}
