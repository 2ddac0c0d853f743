import { resolve } from 'node:path';
import { getTarget, loadProjectConfig } from '../../config/project-config.js';
import { instrumentExperiment, instrumentMarkdown } from '../../instrument/instrument-spec.js';
import { PACKAGE_ROOT, TEMPLATES_DIR } from '../../package-info.js';
import { loadExperiments } from '../../spec/load-project.js';
import { getWarehouse } from '../../warehouse/registry.js';
import { reportFailure, UsageError, type CommonOptions } from '../common.js';
import { EXIT, type ExitCode } from '../exit.js';

const PARTS = ['ddl', 'schema', 'rules'] as const;

/** `exptrack instrument <spec>`: DDL, tracking-event JSON Schema and tracking rules. Never connects. */
export async function instrumentCommand(selector: string, opts: CommonOptions & { type?: string; only?: string }): Promise<ExitCode> {
  try {
    if (opts.only !== undefined && !(PARTS as readonly string[]).includes(opts.only)) throw new UsageError(`--only must be one of ${PARTS.join(', ')}; got '${opts.only}'`);
    const config = loadProjectConfig(resolve(opts.projectDir ?? '.'));
    // getWarehouse refuses an unknown type with the list of known ones.
    const warehouse = getWarehouse(opts.type ?? getTarget(config, opts.target).type).name;
    const [exp] = loadExperiments({ root: config.root, specsDir: config.paths.specs, modelsDir: config.paths.models, selectors: [selector] });
    const out = instrumentExperiment(exp, warehouse, TEMPLATES_DIR, PACKAGE_ROOT);
    if (opts.json) process.stdout.write(`${JSON.stringify({ ok: true, exitCode: EXIT.ok, ...out }, null, 2)}\n`);
    else if (opts.only === 'ddl') process.stdout.write(out.ddl);
    else if (opts.only === 'schema') process.stdout.write(`${JSON.stringify(out.eventSchema, null, 2)}\n`);
    else if (opts.only === 'rules') process.stdout.write(`${out.checklist.map((r) => `- [ ] ${r}`).join('\n')}\n`);
    else process.stdout.write(instrumentMarkdown(out));
    return EXIT.ok;
  } catch (e) {
    return reportFailure(e, opts.json);
  }
}
