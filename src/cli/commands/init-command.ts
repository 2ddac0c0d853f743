import { relative } from 'node:path';
import { InitError, initProject } from '../../init/init-project.js';
import { reportFailure, UsageError } from '../common.js';
import { EXIT, type ExitCode } from '../exit.js';

/** Target settings that have a flag of their own (`--path FILE`); any other goes through `--set key=value`. */
export const SETTING_FLAGS = ['path', 'host', 'port', 'database', 'user', 'username', 'schema', 'project', 'dataset', 'location', 'account', 'warehouse', 'role', 'passwordEnv', 'apiEndpoint', 'accessUrl'] as const;

export interface InitFlags {
  type?: string;
  introspect?: boolean;
  targetName?: string;
  set?: string[];
  json?: boolean;
  [setting: string]: unknown;
}

function settingValue(text: string): unknown {
  // Numbers (port, timeouts) as numbers; the warehouse's own schema decides what is valid.
  return /^\d+$/.test(text) ? Number(text) : text;
}

export async function initCommand(dir: string | undefined, flags: InitFlags): Promise<ExitCode> {
  try {
    if (!flags.type) throw new UsageError('--type is required: duckdb, postgres, bigquery or snowflake');
    const settings: Record<string, unknown> = {};
    for (const f of SETTING_FLAGS) {
      if (typeof flags[f] === 'string') settings[f.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)] = settingValue(flags[f] as string);
    }
    for (const kv of flags.set ?? []) {
      const m = /^([a-z_]+)=(.*)$/.exec(kv);
      if (!m) throw new UsageError(`--set '${kv}' must be key=value`);
      settings[m[1]] = settingValue(m[2]);
    }
    const r = await initProject({ dir: dir ?? '.', type: flags.type, settings, introspect: !!flags.introspect, targetName: flags.targetName, today: new Date().toISOString().slice(0, 10) });
    const p = r.proposal;
    if (flags.json) {
      process.stdout.write(`${JSON.stringify({ ok: true, exitCode: EXIT.ok, root: r.root, files: r.files, proposal: flags.introspect ? p : null }, null, 2)}\n`);
    } else {
      for (const f of r.files) process.stdout.write(`${relative(process.cwd(), `${r.root}/${f}`)}\n`);
      if (flags.introspect) {
        process.stderr.write(`unit '${p.unit}'; exposure source: ${p.exposure ? `${p.exposure.name} (${p.exposure.table})` : 'none found'}; event sources: ${p.events.map((e) => e.name).join(', ') || 'none'}; attribute tables: ${p.attributes.map((a) => a.name).join(', ') || 'none'}\n`);
      }
      process.stderr.write('next: edit specs/first_experiment.yaml, then `exptrack check` and `exptrack run`\n');
    }
    return EXIT.ok;
  } catch (e) {
    if (e instanceof InitError) {
      process.stderr.write(`exptrack: ${e.message}\n`);
      if (flags.json) process.stdout.write(`${JSON.stringify({ ok: false, exitCode: EXIT.couldNotRun, error: e.message, diagnostics: [] }, null, 2)}\n`);
      return EXIT.couldNotRun;
    }
    return reportFailure(e, flags.json);
  }
}
