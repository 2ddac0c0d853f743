import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './demo-project.js';

/** One step of a README walkthrough: a shell line, or a file whose first line names its path. */
export type WalkthroughStep =
  | { kind: 'mkdir'; dir: string }
  | { kind: 'cd'; dir: string }
  | { kind: 'exptrack'; args: string[]; exit: number; line: string }
  | { kind: 'file'; path: string; text: string };

/**
 * The steps of one README section, in order. Shell blocks may hold only `mkdir X && cd X`, `cd X`
 * and `npx exptrack ...   # exit N` lines (anything else fails, so the README stays replayable);
 * YAML blocks starting with `# <path>` are files to write.
 */
export function readmeWalkthrough(heading: string): WalkthroughStep[] {
  const text = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const start = text.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`README has no section '## ${heading}'`);
  const end = text.indexOf('\n## ', start + 4);
  const section = text.slice(start, end < 0 ? undefined : end);
  const steps: WalkthroughStep[] = [];
  for (const m of section.matchAll(/```(sh|yaml)\n([\s\S]*?)```/g)) {
    const body = m[2];
    if (m[1] === 'yaml') {
      const first = /^# (\S+\.ya?ml)\n/.exec(body);
      if (first) steps.push({ kind: 'file', path: first[1], text: body });
      continue;
    }
    for (const raw of body.split('\n')) {
      const line = raw.trim();
      if (!line) continue;
      const mk = /^mkdir (\S+) && cd (\S+)$/.exec(line);
      const cd = /^cd (\S+)$/.exec(line);
      const ex = /^npx exptrack (.*?)\s+# exit (\d)$/.exec(line);
      if (mk) steps.push({ kind: 'mkdir', dir: mk[1] }, { kind: 'cd', dir: mk[2] });
      else if (cd) steps.push({ kind: 'cd', dir: cd[1] });
      else if (ex) steps.push({ kind: 'exptrack', args: ex[1].split(/\s+/), exit: Number(ex[2]), line });
      else throw new Error(`README '${heading}': cannot replay '${line}' (only mkdir/cd and \`npx exptrack ...   # exit N\`)`);
    }
  }
  return steps;
}
