import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { PACKAGE_ROOT } from '../src/package-info.js';
import { checkProject, demoFiles, writeProject, type Outcome } from './fuzz-check.js';
import { fuzzInput } from './fuzz-mutate.js';

/**
 * npm run fuzz -- --count N --seed S [--timeout-ms 10000] [--quiet]
 * Mutates the demo specs and models, compiles each input in process (in a worker thread, so an input
 * that runs past the time limit can be stopped and counted as a hang) and ends with
 * `fuzz: N inputs, C crashes, U unlocated, H hangs`. Exit 1 when any of the three is non-zero.
 */
type Report = { index: number; outcome: Outcome; file: string; ops: string[]; ms: number };

if (!isMainThread) {
  const { seed, dir } = workerData as { seed: number; dir: string };
  const files = demoFiles(PACKAGE_ROOT);
  parentPort!.on('message', (index: number) => {
    const input = fuzzInput(files, seed, index);
    writeProject(dir, input.files);
    // The clock starts here: making the input and starting the worker are not the compiler's time.
    parentPort!.postMessage({ start: index });
    const t0 = performance.now();
    const outcome = checkProject(dir);
    parentPort!.postMessage({ index, outcome, file: input.file, ops: input.ops, ms: performance.now() - t0 } satisfies Report);
  });
  parentPort!.postMessage({ ready: true });
} else {
  const args = process.argv.slice(2);
  const opt = (name: string, dflt: number) => {
    const i = args.indexOf(`--${name}`);
    const v = i >= 0 ? Number(args[i + 1]) : dflt;
    if (!Number.isInteger(v) || v < 0) throw new Error(`--${name} must be a non-negative integer`);
    return v;
  };
  const count = opt('count', 200);
  const seed = opt('seed', 1);
  const timeoutMs = opt('timeout-ms', 10_000);
  const quiet = args.includes('--quiet');
  const dir = mkdtempSync(join(tmpdir(), 'exptrack-fuzz-'));
  const tally = { compiled: 0, located: 0, crash: 0, unlocated: 0, hang: 0 };
  let next = 0;
  const times: number[] = [];
  const started = Date.now();

  const finish = () => {
    rmSync(dir, { recursive: true, force: true });
    const sorted = [...times].sort((a, b) => a - b);
    const q = (p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))].toFixed(0) : '-');
    if (!quiet) process.stderr.write(`  (${tally.compiled} compiled, ${tally.located} refused with located diagnostics; compile per input median ${q(0.5)} ms, p99 ${q(0.99)} ms, max ${q(1)} ms; ${((Date.now() - started) / 1000).toFixed(1)} s in all)\n`);
    process.stdout.write(`fuzz: ${count} inputs, ${tally.crash} crashes, ${tally.unlocated} unlocated, ${tally.hang} hangs\n`);
    process.exitCode = tally.crash + tally.unlocated + tally.hang ? 1 : 0;
  };

  const startWorker = () => {
    // A fresh project folder per worker: a stopped worker may have left it half-written.
    const wdir = mkdtempSync(join(dir, 'w-'));
    const worker = new Worker(new URL(import.meta.url), { workerData: { seed, dir: wdir }, resourceLimits: { maxOldGenerationSizeMb: 1024 } });
    let timer: NodeJS.Timeout | undefined;
    let current = -1;
    let done = false;
    const send = () => {
      if (next >= count) {
        done = true;
        void worker.terminate();
        finish();
        return;
      }
      current = next++;
      worker.postMessage(current);
    };
    const startClock = () => {
      timer = setTimeout(() => {
        tally.hang++;
        process.stderr.write(`hang #${current}: over ${timeoutMs} ms\n`);
        done = true;
        void worker.terminate().then(startWorker);
      }, timeoutMs);
    };
    worker.on('message', (m: Report | { ready: true } | { start: number }) => {
      if ('ready' in m) return send();
      if ('start' in m) return startClock();
      const r = m;
      clearTimeout(timer);
      times.push(r.ms);
      if (r.outcome.kind === 'crash' || r.outcome.kind === 'unlocated') {
        tally[r.outcome.kind]++;
        process.stderr.write(`${r.outcome.kind} #${r.index} (${r.file}: ${r.ops.join(', ')}): ${r.outcome.detail}\n`);
      } else tally[r.outcome.kind]++;
      if (!quiet && (r.index + 1) % 500 === 0) process.stderr.write(`  ${r.index + 1}/${count}\n`);
      send();
    });
    worker.on('error', (e) => {
      clearTimeout(timer);
      if (done) return;
      done = true;
      tally.crash++;
      process.stderr.write(`crash #${current}: the worker died: ${e.message}\n`);
      startWorker();
    });
  };
  startWorker();
}
