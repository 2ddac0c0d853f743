#!/usr/bin/env node
// The CLI is compiled TypeScript (npm run build, which npm ci runs through `prepare`).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('exptrack: not built yet; run `npm run build` (npm ci does it automatically)\n');
  process.exit(2);
}
await import(entry.href);
