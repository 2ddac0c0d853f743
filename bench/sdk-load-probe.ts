/**
 * `node --import ./dist/bench/sdk-load-probe.js ...`: records which modules a process loads, into the
 * file named by EXPTRACK_BENCH_MODULE_LOG. ESM imports are seen by a resolve hook; CommonJS
 * require() calls (which bypass ESM hooks in Node 20) are read from require.cache at exit.
 */
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';

const logFile = process.env.EXPTRACK_BENCH_MODULE_LOG;
if (logFile) {
  register('./sdk-load-hooks.js', import.meta.url, { data: { logFile } });
  const require = createRequire(import.meta.url);
  process.on('exit', () => {
    appendFileSync(logFile, Object.keys(require.cache).map((p) => `${p}\n`).join(''));
  });
}
