import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The installed exptrack package's root (holds templates/), found from this module's location. */
function findPackageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pj = join(dir, 'package.json');
    if (existsSync(pj) && (JSON.parse(readFileSync(pj, 'utf8')) as { name?: string }).name === 'exptrack') return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the exptrack package root');
    dir = up;
  }
}

export const PACKAGE_ROOT = findPackageRoot();
export const TOOL_VERSION: string = (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
export const TEMPLATES_DIR = join(PACKAGE_ROOT, 'templates');
