import { readSummaryFile } from '../../summary-input/read-summary-file.js';
import { analyzeSummary, DEFAULT_ANALYZE_OPTIONS, type AnalyzeOptions } from '../../summary-input/summary-analysis.js';
import { formatReadout } from '../../summary-input/summary-readout.js';
import { reportFailure, UsageError } from '../common.js';
import { EXIT, type ExitCode } from '../exit.js';

export interface AnalyzeFlags {
  json?: boolean;
  alpha?: string;
  sides?: string;
  sequential?: boolean;
  tuning?: string;
  priorMean?: string;
  priorSd?: string;
  correction?: string;
  control?: string;
  cuped?: boolean;
  lowerIsBetter?: boolean;
  inverse?: boolean | string;
  weights?: string;
  quantile?: string;
}

function numberFlag(name: string, text: string | undefined, ok: (v: number) => boolean, what: string): number | undefined {
  if (text === undefined) return undefined;
  const v = Number(text);
  if (text.trim() === '' || !Number.isFinite(v) || !ok(v)) throw new UsageError(`--${name} '${text}' must be ${what}`);
  return v;
}

export function analyzeOptionsFromFlags(f: AnalyzeFlags): AnalyzeOptions {
  const alpha = numberFlag('alpha', f.alpha, (v) => v > 0 && v < 1, 'a number strictly between 0 and 1') ?? DEFAULT_ANALYZE_OPTIONS.alpha;
  const sides = f.sides ?? 'two-sided';
  if (sides !== 'two-sided' && sides !== 'greater' && sides !== 'less') throw new UsageError(`--sides '${sides}' must be two-sided, greater or less`);
  const tuning = numberFlag('tuning', f.tuning, (v) => v > 0, 'a number > 0') ?? 5000;
  if (f.tuning !== undefined && !f.sequential) throw new UsageError('--tuning applies only with --sequential');
  if (f.sequential && sides !== 'two-sided' && alpha >= 0.5) throw new UsageError('a one-sided sequential test needs --alpha < 0.5');
  const priorSd = numberFlag('prior-sd', f.priorSd, (v) => v > 0, 'a number > 0');
  const priorMean = numberFlag('prior-mean', f.priorMean, () => true, 'a number');
  if (priorMean !== undefined && priorSd === undefined) throw new UsageError('--prior-mean needs --prior-sd (the prior is a normal distribution on the relative lift)');
  const correction = f.correction ?? 'none';
  if (correction !== 'holm' && correction !== 'bh' && correction !== 'none') throw new UsageError(`--correction '${correction}' must be holm, bh or none`);
  return {
    alpha,
    sides,
    sequentialTuning: f.sequential ? tuning : null,
    prior: priorSd === undefined ? DEFAULT_ANALYZE_OPTIONS.prior : { mean: priorMean ?? 0, variance: priorSd * priorSd, proper: true },
    correction,
    cuped: f.cuped !== false,
    higherIsBetter: f.lowerIsBetter !== true,
    inverse: f.inverse === undefined || f.inverse === false ? undefined : f.inverse === true ? 'all' : f.inverse.split(',').map((x) => x.trim()).filter(Boolean),
    weights: f.weights === undefined ? null : parseWeights(f.weights),
    quantile: numberFlag('quantile', f.quantile, (v) => v > 0 && v < 1, 'a number strictly between 0 and 1 (0.5 for the median, 0.9 for p90)') ?? null,
  };
}

function parseWeights(text: string): NonNullable<AnalyzeOptions['weights']> {
  const parts = text.split(',').map((x) => x.trim());
  const bad = () => new UsageError(`--weights '${text}' must be positive numbers in the file's variant order (0.5,0.5) or variant=weight pairs (control=0.5,b=0.5)`);
  const weight = (w: string) => {
    const v = Number(w);
    if (w === '' || !(v > 0) || !Number.isFinite(v)) throw bad();
    return v;
  };
  if (parts.every((p) => p.includes('='))) {
    const pairs = parts.map((p) => p.split('=').map((x) => x.trim()) as [string, string]);
    if (pairs.some(([k]) => k === '')) throw bad();
    return { byVariant: Object.fromEntries(pairs.map(([k, w]) => [k, weight(w)])) };
  }
  if (parts.some((p) => p.includes('=')) || parts.length < 2) throw bad();
  return { byPosition: parts.map(weight) };
}

/** `exptrack analyze <file>`: statistics on per-arm summary numbers the user already has. */
export async function analyzeCommand(file: string, flags: AnalyzeFlags): Promise<ExitCode> {
  try {
    const options = analyzeOptionsFromFlags(flags);
    const notes: string[] = [];
    const metrics = readSummaryFile(file, flags.control, (n) => notes.push(n));
    for (const n of notes) process.stderr.write(`${n}\n`);
    const result = analyzeSummary(file === '-' ? 'stdin' : file, metrics, options);
    process.stdout.write(flags.json ? `${JSON.stringify(notes.length ? { ...result, ignoredColumns: notes } : result, null, 2)}\n` : formatReadout(result));
    return EXIT.ok;
  } catch (e) {
    return reportFailure(e, flags.json);
  }
}
