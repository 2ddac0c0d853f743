import { verifyPackage } from '../../report/verify-package.js';
import { EXIT, type ExitCode } from '../exit.js';

export async function verifyCommand(dirs: string[], opts: { json?: boolean }): Promise<ExitCode> {
  const results = dirs.map((d) => verifyPackage(d));
  const ok = results.every((r) => r.ok);
  if (opts.json) {
    process.stdout.write(`${JSON.stringify({ ok, exitCode: ok ? EXIT.ok : EXIT.checkFailed, packages: results }, null, 2)}\n`);
  } else {
    for (const r of results) {
      if (r.ok) process.stdout.write(`OK ${r.dir}: ${r.files} files intact\n`);
      else {
        process.stdout.write(`FAILED ${r.dir}\n`);
        for (const p of r.problems) process.stdout.write(`  ${p.kind.toUpperCase()} ${p.file}: ${p.message}\n`);
      }
    }
  }
  return ok ? EXIT.ok : EXIT.checkFailed;
}
