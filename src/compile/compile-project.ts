import { join, relative } from 'node:path';
import type { ProjectConfig, Target } from '../config/project-config.js';
import { PACKAGE_ROOT, TEMPLATES_DIR, TOOL_VERSION } from '../package-info.js';
import { loadExperiments } from '../spec/load-project.js';
import type { ResolvedExperiment } from '../spec/types.js';
import { canonicalJson, sha256 } from '../util/digest.js';
import { writeDirectoryAtomically, writeFileAtomically } from '../util/atomic-write.js';
import { getWarehouse } from '../warehouse/registry.js';
import { COMPILED_DIR, COMPILE_MANIFEST, COMPILE_MANIFEST_SCHEMA_VERSION } from './artifacts.js';
import { compileExperiment, type CompiledExperiment } from './compile-experiment.js';
import { createSqlRenderer } from './sql-templates.js';
import { defaultAsOf } from './concluded-as-of.js';

export interface CompileManifest {
  schemaVersion: number;
  toolVersion: string;
  target: { name: string; type: string };
  asOf: string;
  inputs: { specs: Record<string, string>; models: Record<string, string>; templates: Record<string, string> };
  experiments: Record<string, { spec: string; files: Record<string, string>; asOf?: string }>;
}

export interface CompileResult {
  experiments: ResolvedExperiment[];
  compiled: CompiledExperiment[];
  manifest: CompileManifest;
}

const sortedRecord = (entries: [string, string][]) => Object.fromEntries(entries.sort(([a], [b]) => a.localeCompare(b)));

/** Loads, validates and compiles the selected specs. Never connects to a warehouse. */
/**
 * `asOfFromClock`: the as-of came from the clock (no --as-of, no as_of), so a concluded experiment
 * is analysed at its own default instead (concluded-as-of.ts).
 */
export function compileProject(config: ProjectConfig, target: Target, selectors: string[], asOf: string, opts: { asOfFromClock?: boolean } = {}): CompileResult {
  const experiments = loadExperiments({ root: config.root, specsDir: config.paths.specs, modelsDir: config.paths.models, selectors });
  const warehouse = getWarehouse(target.type);
  const renderer = createSqlRenderer(TEMPLATES_DIR, warehouse.name, warehouse.dialect, PACKAGE_ROOT);
  const compiled = experiments.map((e) => compileExperiment(e, opts.asOfFromClock ? defaultAsOf(e, asOf) : asOf, warehouse.dialect, renderer));

  const manifest: CompileManifest = {
    schemaVersion: COMPILE_MANIFEST_SCHEMA_VERSION,
    toolVersion: TOOL_VERSION,
    target: { name: target.name, type: target.type },
    asOf: new Date(asOf).toISOString(),
    inputs: {
      specs: sortedRecord(experiments.map((e) => [e.specFile, sha256(e.specText)])),
      models: sortedRecord([...new Map(experiments.flatMap((e) => Object.entries(e.modelTexts))).entries()].map(([f, text]) => [f, sha256(text)])),
      templates: sortedRecord([...renderer.files.entries()]),
    },
    experiments: Object.fromEntries(
      // An experiment analysed at another as-of than the run's (a concluded one's default) says so.
      compiled.map((c, i) => [c.experimentId, { spec: experiments[i].specFile, files: sortedRecord(c.steps.map((s) => [s.file, sha256(s.sql)])), ...(c.asOf !== new Date(asOf).toISOString() ? { asOf: c.asOf } : {}) }]),
    ),
  };
  return { experiments, compiled, manifest };
}

/** target/compiled/<experiment>/*.sql and target/manifest.json, each replaced whole. */
export function writeCompiled(config: ProjectConfig, result: CompileResult): string[] {
  const written: string[] = [];
  for (const c of result.compiled) {
    const dir = join(config.paths.target, COMPILED_DIR, c.experimentId);
    writeDirectoryAtomically(dir, new Map(c.steps.map((s) => [s.file, s.sql])), { replace: true });
    written.push(...c.steps.map((s) => relative(config.root, join(dir, s.file))));
  }
  const manifestPath = join(config.paths.target, COMPILE_MANIFEST);
  writeFileAtomically(manifestPath, `${JSON.stringify(JSON.parse(canonicalJson(result.manifest)), null, 2)}\n`);
  written.push(relative(config.root, manifestPath));
  return written;
}
