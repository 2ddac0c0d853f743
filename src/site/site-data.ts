import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_FILES } from '../compile/artifacts.js';
import { listPackages } from '../audit/chain.js';
import { checkDecisions } from '../audit/decisions.js';
import { listExperiments, type ExperimentListing } from '../audit/experiment-index.js';
import { verifyExperiment } from '../audit/verify-experiment.js';
import type { Results } from '../run/results.js';

/** Folder names that become URL path parts: anything else in an archive is skipped, never followed. */
export const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

export interface SitePackage {
  runId: string;
  dir: string;
  results: Results | null;
  report: string | null;
  changelog: string | null;
  /** Package-relative paths of the charts (charts/*.svg) the manifest lists. */
  charts: string[];
  verified: boolean;
  problems: string[];
}

export interface SiteExperiment {
  listing: ExperimentListing;
  chainOk: boolean;
  chainProblems: string[];
  packages: SitePackage[];
  decisions: ReturnType<typeof checkDecisions>['records'];
}

const readText = (p: string) => (existsSync(p) ? readFileSync(p, 'utf8') : null);

/** Everything the site shows, read from report packages alone (no spec, no warehouse). */
export function readSite(reportsDir: string): SiteExperiment[] {
  return listExperiments(reportsDir)
    .filter((l) => SAFE_NAME.test(l.id))
    .map((listing) => {
      const dir = join(reportsDir, listing.id);
      const verified = verifyExperiment(dir);
      const byDir = new Map(verified.packages.map((p) => [p.dir, p]));
      const packages = listPackages(dir)
        .filter((p) => p.manifest && SAFE_NAME.test(p.name))
        .map((p): SitePackage => {
          let results: Results | null = null;
          try {
            results = JSON.parse(readFileSync(join(p.dir, PACKAGE_FILES.results), 'utf8'));
          } catch {
            /* shown as unreadable */
          }
          const files = Object.keys((p.manifest?.files as Record<string, string> | undefined) ?? {});
          const v = byDir.get(p.dir);
          return {
            runId: p.name,
            dir: p.dir,
            results,
            report: readText(join(p.dir, PACKAGE_FILES.report)),
            changelog: readText(join(p.dir, PACKAGE_FILES.changelog)),
            charts: files.filter((f) => /^charts\/[a-z0-9-]+\.svg$/.test(f) && existsSync(join(p.dir, f))).sort(),
            verified: v?.ok ?? false,
            problems: (v?.problems ?? []).map((x) => `${x.file}: ${x.message}`),
          };
        });
      const digests = new Set(listPackages(dir).map((p) => p.digest).filter((d): d is string => d !== null));
      return {
        listing,
        chainOk: verified.ok,
        chainProblems: verified.chain.map((c) => `${c.subject}: ${c.message}`),
        packages,
        decisions: checkDecisions(dir, digests).records,
      };
    });
}

export const hasReports = (dir: string) => existsSync(dir) && readdirSync(dir).length > 0;
