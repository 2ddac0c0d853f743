import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { jsonSchemas, SCHEMA_FILES } from '../../schema/json-schemas.js';
import { writeFileAtomically } from '../../util/atomic-write.js';
import { EXIT, type ExitCode } from '../exit.js';

export async function schemaCommand(opts: { projectDir?: string; check?: boolean }): Promise<ExitCode> {
  const root = resolve(opts.projectDir ?? '.');
  const schemas = jsonSchemas();
  const targets: [string, string][] = [
    [join(root, 'specs', SCHEMA_FILES.spec), schemas.spec],
    [join(root, 'models', SCHEMA_FILES.models), schemas.models],
  ];
  let stale = false;
  for (const [path, text] of targets) {
    const current = existsSync(path) ? readFileSync(path, 'utf8') : null;
    if (opts.check) {
      if (current !== text) {
        stale = true;
        process.stdout.write(`out of date: ${path} (run exptrack schema)\n`);
      }
    } else {
      writeFileAtomically(path, text);
      process.stdout.write(`${path}\n`);
    }
  }
  return stale ? EXIT.checkFailed : EXIT.ok;
}
