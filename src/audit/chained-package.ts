import { basename, join } from 'node:path';
import { PACKAGE_FILES } from '../compile/artifacts.js';
import type { CompiledExperiment } from '../compile/compile-experiment.js';
import type { CompileManifest } from '../compile/compile-project.js';
import { writePackage } from '../report/write-package.js';
import type { Results } from '../run/results.js';
import type { ResolvedExperiment } from '../spec/types.js';
import { appendChainLog, chainHead, packageDigest } from './chain.js';
import { buildChangelog, changelogMarkdown } from './changelog.js';
import { withExperimentLock } from './experiment-lock.js';
import { parseFingerprints } from './fingerprints.js';
import { gitProvenance, type GitProvenance } from './git-provenance.js';
import type { Signer } from './signing.js';
import { removeStaleStaging } from '../util/stale-staging.js';

/**
 * Writes a report package as the next link of its experiment's chain. Under the experiment lock:
 * find the newest package, compare with it (change log), record its digest in the new manifest,
 * render and write the package, and append the new digest to chain.log. Two concurrent runs thus
 * produce two complete packages, one after the other in the chain.
 */
export async function writeChainedPackage(opts: {
  reportsDir: string;
  projectRoot: string;
  experiment: ResolvedExperiment;
  compiled: CompiledExperiment;
  compileManifest: CompileManifest;
  results: Results;
  render: (results: Results) => string;
  signer: Signer | null;
  /** Further package files (the charts), listed in the manifest and SHA256SUMS like every other. */
  extraFiles?: Map<string, string>;
  /** The inputs' git facts when the caller started reading them earlier (gitProvenanceAsync). */
  git?: Promise<GitProvenance | null>;
}): Promise<{ dir: string; digest: string; sequence: number }> {
  const { experiment: exp, results } = opts;
  // An incremental refresh (src/state) takes no fingerprints: record none rather than empty reads.
  const fingerprints = results.data.fingerprints ? parseFingerprints(results.data.fingerprints, opts.compiled.fingerprints) : [];
  const git = opts.git ? await opts.git : gitProvenance(opts.projectRoot, exp.specFile, [exp.specFile, ...exp.modelFiles, 'exptrack.yaml']);
  const experimentDir = join(opts.reportsDir, exp.id);
  return withExperimentLock(experimentDir, () => {
    // Under the lock nobody else writes here: staging folders of killed runs can go.
    removeStaleStaging(experimentDir);
    const head = chainHead(experimentDir);
    const changelog = buildChangelog(head, {
      specText: exp.specText,
      modelTexts: Object.fromEntries(exp.modelFiles.map((m) => [basename(m), exp.modelTexts[m]])),
      templates: opts.compileManifest.inputs.templates,
      toolVersion: results.tool.version,
      target: results.run.target,
      fingerprints,
      results,
      git,
    });
    const sequence = (head?.sequence ?? 0) + 1;
    const audited: Results = {
      ...results,
      audit: {
        fingerprints,
        chain: { sequence, previous: head ? { runId: head.runId, digest: head.digest } : null },
        git,
        changelog,
        signing: opts.signer ? { keyFingerprint: opts.signer.keyFingerprint } : null,
      },
    };
    const dir = writePackage({
      reportsDir: opts.reportsDir,
      experiment: exp,
      compiled: opts.compiled,
      compileManifest: opts.compileManifest,
      results: audited,
      report: opts.render(audited),
      extraFiles: new Map([...(opts.extraFiles ?? []), [PACKAGE_FILES.changelog, changelogMarkdown(exp.id, results.run.runId, changelog)]]),
      sign: opts.signer ? (sums) => opts.signer!.sign(sums) : undefined,
    });
    const digest = packageDigest(dir)!;
    appendChainLog(experimentDir, `package ${sequence} ${results.run.runId} ${digest}`);
    return { dir, digest, sequence };
  });
}
