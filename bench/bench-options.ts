import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DuckdbSettings } from './bench-data.js';

export const SECTIONS = ['pipeline', 'compile', 'cli', 'explain', 'incremental'] as const;
export type Section = (typeof SECTIONS)[number];

export interface BenchOptions {
  scale: number;
  reps: number;
  only: Section[];
  seed: number;
  specs: number;
  cliReps: number;
  days: number;
  firstDay: number;
  settings: DuckdbSettings;
  repoRoot: string;
  workDir: string;
}

const USAGE = `usage: npm run bench -- [--scale N] [--reps N] [--only pipeline,compile,cli,explain] [--seed N]
                       [--threads N] [--memory-limit 8GB] [--temp-directory DIR] [--specs N] [--cli-reps N]
  --scale     1 = about 1M units and 10M events (default); 10 = 10M and 100M; fractions for quick runs
  --reps      a/b repetitions (default 5, 3 from scale 10 up)
  --only      sections to run (default pipeline,compile,cli; explain writes EXPLAIN ANALYZE profiles;
              incremental simulates 28 daily incremental refreshes against full ones)
  --days      incremental: how many daily refreshes (default 28)
  --first-day incremental: the day of the first refresh (default 1); the rows of the days before it arrive
              at once, so a large scale measures the last day without paying for every day's full refresh`;

const KNOWN = new Set(['scale', 'reps', 'only', 'seed', 'threads', 'memory-limit', 'temp-directory', 'specs', 'cli-reps', 'days', 'first-day']);

/** dist/bench/bench-options.js -> the repository root. */
const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export function parseOptions(argv: string[]): BenchOptions {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--help' || a === '-h') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    }
    const [key, inline] = a.split('=', 2);
    if (!key.startsWith('--')) throw new Error(`unexpected argument '${a}'\n${USAGE}`);
    if (!KNOWN.has(key.slice(2))) throw new Error(`unknown option ${key}\n${USAGE}`);
    const value = inline ?? argv[++i];
    if (value === undefined) throw new Error(`${key} needs a value\n${USAGE}`);
    flags.set(key.slice(2), value);
  }
  const num = (k: string, dflt: number, ok: (n: number) => boolean) => {
    const raw = flags.get(k);
    if (raw === undefined) return dflt;
    const n = Number(raw);
    if (!ok(n)) throw new Error(`--${k} '${raw}' is not valid\n${USAGE}`);
    return n;
  };
  const positiveInt = (n: number) => Number.isInteger(n) && n > 0;
  const scale = num('scale', 1, (n) => Number.isFinite(n) && n > 0 && n <= 100);
  const only = (flags.get('only') ?? 'pipeline,compile,cli').split(',').map((s) => s.trim()) as Section[];
  for (const s of only) if (!SECTIONS.includes(s)) throw new Error(`--only: unknown section '${s}' (known: ${SECTIONS.join(', ')})`);
  const workDir = join(REPO_ROOT, 'target', 'bench');
  if (num('first-day', 1, positiveInt) > num('days', 28, positiveInt)) throw new Error(`--first-day is after the last day (--days)\n${USAGE}`);
  return {
    scale,
    reps: num('reps', scale >= 10 ? 3 : 5, positiveInt),
    only,
    seed: num('seed', 20261029, Number.isSafeInteger),
    specs: num('specs', 1000, positiveInt),
    cliReps: num('cli-reps', 10, positiveInt),
    days: num('days', 28, positiveInt),
    firstDay: num('first-day', 1, positiveInt),
    settings: {
      threads: num('threads', 2, positiveInt),
      memoryLimit: flags.get('memory-limit') ?? '8GB',
      tempDirectory: resolve(flags.get('temp-directory') ?? join(workDir, 'tmp')),
    },
    repoRoot: REPO_ROOT,
    workDir,
  };
}
