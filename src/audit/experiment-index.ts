import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_FILES, REPORTS_INDEX_FILE } from '../compile/artifacts.js';
import type { Results } from '../run/results.js';
import { writeFileAtomically } from '../util/atomic-write.js';
import { chainHead, listPackages } from './chain.js';
import { checkDecisions } from './decisions.js';

export const INDEX_FILE = REPORTS_INDEX_FILE;

export interface ExperimentListing {
  id: string;
  name: string | null;
  runs: number;
  latest: {
    runId: string;
    asOf: string;
    recommendation: string;
    variant: string | null;
    /** Failed checks at error or warn severity, e.g. SRM_DETECTED (error). */
    failedChecks: { reasonCode: string; severity: string }[];
  } | null;
  decision: { decision: string; variant: string | null; by: string; decidedAt: string; runId: string } | null;
  /** The chain head (newest package's digest): keep it outside the reports folder for `verify --expect-head`. */
  head: { sequence: number; runId: string; digest: string } | null;
}

/** Every experiment under a reports folder: runs, the newest package's checks and recommendation, the latest decision. */
export function listExperiments(reportsDir: string): ExperimentListing[] {
  if (!existsSync(reportsDir)) return [];
  return readdirSync(reportsDir)
    .filter((n) => !n.startsWith('.') && statSync(join(reportsDir, n)).isDirectory())
    .sort()
    .flatMap((id) => {
      const dir = join(reportsDir, id);
      const packages = listPackages(dir).filter((p) => p.manifest);
      if (packages.length === 0) return [];
      const head = chainHead(dir);
      const newest = packages.find((p) => p.name === head?.runId) ?? packages[packages.length - 1];
      let results: Results | null = null;
      try {
        results = JSON.parse(readFileSync(join(newest.dir, PACKAGE_FILES.results), 'utf8'));
      } catch {
        /* listed without numbers */
      }
      const decisions = checkDecisions(dir, new Set()).records;
      const d = decisions[decisions.length - 1];
      return [
        {
          id,
          name: results?.experiment.name ?? null,
          runs: packages.length,
          latest: results
            ? {
                runId: newest.name,
                asOf: results.run.asOf,
                recommendation: results.decision.recommendation,
                variant: results.decision.variant,
                failedChecks: results.checks.filter((c) => c.status === 'fail').map((c) => ({ reasonCode: c.reasonCode, severity: c.severity })),
              }
            : null,
          decision: d ? { decision: d.decision, variant: d.variant, by: d.by, decidedAt: d.decidedAt, runId: d.package.runId } : null,
          head: head ? { sequence: head.sequence, runId: head.runId, digest: head.digest } : null,
        },
      ];
    });
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');

export function indexMarkdown(list: ExperimentListing[]): string {
  const lines = [
    '# Experiments',
    '',
    'Written by exptrack after each run and decision. `exptrack verify <experiment folder>` checks every package, the chain and the decisions.',
    '',
    '| Experiment | Runs | Latest run | As of | Checks | Recommendation | Decision |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const e of list) {
    const l = e.latest;
    const checks = l ? (l.failedChecks.length ? l.failedChecks.map((c) => `${c.reasonCode} (${c.severity})`).join(', ') : 'all pass') : 'n/a';
    const rec = l ? `${l.recommendation.toUpperCase()}${l.variant ? ` \`${l.variant}\`` : ''}` : 'n/a';
    const dec = e.decision ? `${e.decision.decision.toUpperCase()}${e.decision.variant ? ` \`${e.decision.variant}\`` : ''} by ${cell(e.decision.by)}, ${e.decision.decidedAt.slice(0, 10)}` : 'none recorded';
    lines.push(`| [${cell(e.name ?? e.id)}](${e.id}/) | ${e.runs} | ${l ? `[${l.runId}](${e.id}/${l.runId}/report.md)` : 'n/a'} | ${l?.asOf ?? ''} | ${checks} | ${rec} | ${dec} |`);
  }
  return `${lines.join('\n')}\n`;
}

/** reports/index.md, replaced whole. */
export function writeIndex(reportsDir: string): void {
  writeFileAtomically(join(reportsDir, INDEX_FILE), indexMarkdown(listExperiments(reportsDir)));
}
