import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI, demoProject, REPO_ROOT } from '../helpers/demo-project.js';
import { readmeWalkthrough } from '../helpers/readme-walkthrough.js';

// README "Worked examples: ranks, factorial, bandit", replayed on a fresh copy of the demo project: the
// commands must exit as written, and every excerpt line must be a line of the report it names.
const HEADING = 'Worked examples: ranks, factorial, bandit';
let project: string;

/** ```text blocks whose first line is `# reports/<experiment>/<run-id>/report.md`. */
function excerpts(): { experiment: string; lines: string[] }[] {
  const text = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const start = text.indexOf(`\n## ${HEADING}\n`);
  const end = text.indexOf('\n## ', start + 4);
  const section = text.slice(start, end);
  return [...section.matchAll(/```text\n# reports\/(\w+)\/<run-id>\/report\.md\n([\s\S]*?)```/g)].map((m) => ({
    experiment: m[1],
    lines: m[2].split('\n').filter((l) => l.trim() !== ''),
  }));
}

beforeAll(async () => {
  project = await demoProject({ withData: false });
  for (const step of readmeWalkthrough(HEADING)) {
    if (step.kind !== 'exptrack') throw new Error(`unexpected step ${step.kind}`);
    const r = spawnSync(process.execPath, [CLI, ...step.args], { cwd: project, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    if (r.status !== step.exit) throw new Error(`README step '${step.line}' exited ${r.status}:\n${r.stderr}${r.stdout}`);
  }
}, 240_000);

describe(`README "${HEADING}"`, () => {
  it('has an excerpt for each of the three methods', () => {
    expect(excerpts().map((e) => e.experiment)).toEqual(['upsell_widget', 'checkout_layout_copy', 'homepage_hero']);
  });

  it.each(excerpts())('$experiment: every excerpt line is a line of the report', ({ experiment, lines }) => {
    const dir = join(project, 'reports', experiment);
    const runs = readdirSync(dir).filter((n) => /^\d{8}T/.test(n)).sort();
    expect(runs).toHaveLength(1);
    const report = readFileSync(join(dir, runs[0], 'report.md'), 'utf8').split('\n');
    for (const line of lines) expect(report, line).toContain(line);
  });
});
