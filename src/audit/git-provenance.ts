import { execFileSync } from 'node:child_process';

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

/** Git facts about the project's inputs, or null outside a git work tree (or without git). */
export function gitProvenance(root: string, specFile: string, inputFiles: string[]): GitProvenance | null {
  const commit = git(root, ['rev-parse', 'HEAD']);
  if (!commit || !/^[0-9a-f]{40}$/.test(commit)) return null;
  const status = git(root, ['status', '--porcelain', '--untracked-files=all', '--', ...inputFiles]) ?? '';
  const dirtyFiles = status.split('\n').filter(Boolean).map((l) => l.slice(3)).sort();
  const specCommit = git(root, ['log', '-1', '--format=%H', '--', specFile]) || null;
  return { commit, dirty: dirtyFiles.length > 0, dirtyFiles, specCommit };
}
