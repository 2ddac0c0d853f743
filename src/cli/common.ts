import { isCalendarValid } from '../spec/input-bounds.js';
import { resolve } from 'node:path';
import { getTarget, loadProjectConfig, type ProjectConfig, type Target } from '../config/project-config.js';
import { formatDiagnostic, ValidationError } from '../spec/diagnostics.js';
import { WarehouseError } from '../warehouse/types.js';
import { EXIT, type ExitCode } from './exit.js';

export interface CommonOptions {
  projectDir?: string;
  target?: string;
  asOf?: string;
  json?: boolean;
}

export function resolveAsOf(flag: string | undefined, config: ProjectConfig, now: () => Date = () => new Date()): string {
  const text = flag ?? config.asOf;
  if (text === undefined || text === null) {
    const d = now();
    d.setUTCMilliseconds(0);
    return d.toISOString();
  }
  const ms = Date.parse(text.length === 10 ? `${text}T00:00:00Z` : text);
  if (Number.isNaN(ms) || !isCalendarValid(text)) throw new UsageError(`--as-of '${text}' is not an ISO-8601 timestamp (for example 2026-11-01T00:00:00Z)`);
  return new Date(ms).toISOString();
}

export class UsageError extends Error {}

export function loadContext(opts: CommonOptions): { config: ProjectConfig; target: Target; asOf: string; asOfFromClock: boolean } {
  const config = loadProjectConfig(resolve(opts.projectDir ?? '.'));
  // From the clock: a concluded experiment (end:) is then analysed at end + its longest window instead.
  const asOfFromClock = opts.asOf === undefined && (config.asOf === undefined || config.asOf === null);
  return { config, target: getTarget(config, opts.target), asOf: resolveAsOf(opts.asOf, config), asOfFromClock };
}

/** Every failure to run ends here: message on stderr (JSON on stdout with --json), exit 2. */
export function reportFailure(e: unknown, json: boolean | undefined): ExitCode {
  const diagnostics = e instanceof ValidationError ? e.diagnostics : [];
  const message = e instanceof Error ? e.message : String(e);
  if (diagnostics.length) {
    process.stderr.write(`${diagnostics.map(formatDiagnostic).join('\n')}\n${diagnostics.length} error${diagnostics.length === 1 ? '' : 's'}; nothing was compiled or run.\n`);
  } else {
    process.stderr.write(`exptrack: ${message}\n`);
  }
  // A warehouse failure says why (authentication, timeout, cancelled, ...) so a scheduler can decide whether to retry.
  const warehouse = e instanceof WarehouseError ? { kind: e.kind, target: e.ctx.target, experiment: e.ctx.experiment, step: e.ctx.step } : undefined;
  if (json) process.stdout.write(`${JSON.stringify({ ok: false, exitCode: EXIT.couldNotRun, error: message.split('\n')[0], diagnostics, ...(warehouse ? { warehouse } : {}) }, null, 2)}\n`);
  return EXIT.couldNotRun;
}
