import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileProject } from '../../src/compile/compile-project.js';
import { getTarget, loadProjectConfig } from '../../src/config/project-config.js';
import { demoProject } from '../helpers/demo-project.js';

export const DEMO_AS_OF = '2026-11-01T00:00:00Z';

/** Placeholder Snowflake target: compile never connects, so nothing here needs to exist. */
export const PLACEHOLDER_SNOWFLAKE_CONFIG = `name: snowflake-syntax
default_target: sf
targets:
  sf:
    type: snowflake
    account: placeholder-account
    username: exptrack
`;

export interface CompiledQuery {
  name: string;
  step: string;
  sql: string;
}

/** Every demo spec compiled for `target` of the demo project with `config` as its exptrack.yaml. */
export async function compileDemo(config: string, withData = false): Promise<{ root: string; queries: CompiledQuery[] }> {
  const root = await demoProject({ withData });
  writeFileSync(join(root, 'exptrack.yaml'), config);
  const project = loadProjectConfig(root);
  const result = compileProject(project, getTarget(project, undefined), [], DEMO_AS_OF);
  const queries = result.compiled.flatMap((c) => c.steps.map((s) => ({ name: `${c.experimentId}/${s.file}`, step: s.file, sql: s.sql })));
  return { root, queries };
}
