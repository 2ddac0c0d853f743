/**
 * Module loader hooks (run on Node's hooks thread): append every module URL that gets resolved to
 * the log file named by the probe. Registered by sdk-load-probe.ts.
 */
import { appendFileSync } from 'node:fs';

let logFile = '';

export async function initialize(data: { logFile: string }): Promise<void> {
  logFile = data.logFile;
}

type Next = (specifier: string, context: unknown) => Promise<{ url: string }>;

export async function resolve(specifier: string, context: unknown, next: Next): Promise<{ url: string }> {
  const result = await next(specifier, context);
  if (logFile) appendFileSync(logFile, `${result.url}\n`);
  return result;
}
