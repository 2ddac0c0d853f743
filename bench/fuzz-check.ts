import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { compileProject } from '../src/compile/compile-project.js';
import { getTarget, loadProjectConfig } from '../src/config/project-config.js';
import { ValidationError } from '../src/spec/diagnostics.js';

/**
 * One fuzz input, compiled in process. A run is fine when it compiles or fails with diagnostics that
 * each name a file, a line and a column in the project's own words. Anything else is reported:
 * `crash` (an exception that is not a ValidationError, or a diagnostic quoting a JavaScript engine
 * error) or `unlocated` (a diagnostic without file:line:column).
 */
export type Outcome = { kind: 'compiled' | 'located' } | { kind: 'crash' | 'unlocated'; detail: string };

// Messages that are the engine talking, not exptrack: a diagnostic carrying one is a crash.
const ENGINE = /Maximum call stack|Invalid time value|Cannot read propert|is not a function|is not iterable|undefined is not|Invalid array length|out of memory|\[object Object\]|RangeError|TypeError/;

/** The demo project's exptrack.yaml, models/*.yaml and specs/*.yaml, by relative path. */
export function demoFiles(root: string): Map<string, string> {
  const files = new Map<string, string>([['exptrack.yaml', readFileSync(join(root, 'exptrack.yaml'), 'utf8')]]);
  for (const d of ['models', 'specs']) for (const f of readdirSync(join(root, d)).filter((n) => n.endsWith('.yaml')).sort()) files.set(`${d}/${f}`, readFileSync(join(root, d, f), 'utf8'));
  return files;
}

export function writeProject(dir: string, files: ReadonlyMap<string, string>): void {
  for (const [rel, text] of files) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
}

export function checkProject(dir: string): Outcome {
  try {
    const config = loadProjectConfig(dir, {});
    compileProject(config, getTarget(config, undefined), [], config.asOf ?? '2026-11-01T00:00:00Z');
    return { kind: 'compiled' };
  } catch (e) {
    if (!(e instanceof ValidationError)) return { kind: 'crash', detail: e instanceof Error ? `${e.name}: ${e.message.split('\n')[0]}` : String(e) };
    if (e.diagnostics.length === 0) return { kind: 'unlocated', detail: 'no diagnostics' };
    for (const d of e.diagnostics) {
      if (!d.file || !(d.line >= 1) || !(d.column >= 1)) return { kind: 'unlocated', detail: `${d.file}:${d.line}:${d.column}: ${d.message.slice(0, 200)}` };
      if (ENGINE.test(d.message)) return { kind: 'crash', detail: `${d.file}:${d.line}:${d.column}: ${d.message.slice(0, 200)}` };
    }
    return { kind: 'located' };
  }
}
