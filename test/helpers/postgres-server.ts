// A real PostgreSQL server for the tests: Debian's binaries, initdb into a temp dir, pg_ctl start on
// 127.0.0.1 and a free port, stopped and removed afterwards.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** What a test needs to connect; serializable, so a vitest globalSetup can provide it. */
export interface PostgresServerInfo {
  host: string;
  port: number;
  /** Superuser, with password authentication over TCP. */
  user: string;
  password: string;
  /** The maintenance database; tests create their own. */
  database: string;
}

export interface PostgresServer extends PostgresServerInfo {
  startupMs: number;
  stop(): void;
}

const INSTALL_HINT =
  "PostgreSQL server binaries (initdb, pg_ctl) not found on PATH or in /usr/lib/postgresql/*/bin. Install Debian's package: apt-get install -y postgresql (.ci/run does this when initdb is missing).";

/** Directory holding initdb and pg_ctl: PATH first, then Debian's versioned folders, newest first. */
export function findPostgresBin(path = process.env.PATH ?? '', root = '/usr/lib/postgresql'): string {
  for (const dir of path.split(':')) {
    if (dir && existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'))) return dir;
  }
  const versions = existsSync(root) ? readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a)) : [];
  for (const v of versions) {
    const dir = join(root, v, 'bin');
    if (existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'))) return dir;
  }
  throw new Error(INSTALL_HINT);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** initdb refuses to run as root; as root the server runs as this unprivileged account instead. */
function serverAccount(): { name: string; uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  for (const name of ['postgres', 'nobody']) {
    try {
      const id = (flag: string) => Number(execFileSync('id', [flag, name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
      return { name, uid: id('-u'), gid: id('-g') };
    } catch {
      // try the next account
    }
  }
  throw new Error('running as root, and neither a postgres nor a nobody account exists to run the test server');
}

export async function startPostgresServer(): Promise<PostgresServer> {
  const t0 = performance.now();
  const bin = findPostgresBin();
  const account = serverAccount();
  const dir = mkdtempSync(join(tmpdir(), 'exptrack-pg-'));
  const data = join(dir, 'data');
  const password = randomBytes(18).toString('base64url');
  const pwfile = join(dir, 'pwfile');
  writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  if (account) {
    chownSync(dir, account.uid, account.gid);
    chownSync(pwfile, account.uid, account.gid);
  }
  chmodSync(dir, 0o700);
  const run = (tool: string, args: string[]) => {
    const cmd = account ? ['runuser', ['-u', account.name, '--', join(bin, tool), ...args]] as const : [join(bin, tool), args] as const;
    return execFileSync(cmd[0], cmd[1], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  };
  const user = 'postgres';
  let started = false;
  const stop = () => {
    if (started) {
      try {
        run('pg_ctl', ['stop', '-D', data, '-m', 'immediate', '-s']);
      } catch {
        // already gone; removing the directory is what matters
      }
      started = false;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    // C locale: byte-order string comparison, like DuckDB. --no-sync: a throwaway cluster.
    run('initdb', ['-D', data, '-U', user, `--pwfile=${pwfile}`, '--auth-host=scram-sha-256', '--auth-local=trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
    rmSync(pwfile);
    const port = await freePort();
    const opts = `-h 127.0.0.1 -p ${port} -k '${dir}' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=40`;
    started = true; // from here on, stop() must try pg_ctl stop: a failed start may still leave a server
    try {
      run('pg_ctl', ['start', '-D', data, '-w', '-s', '-t', '60', '-l', join(dir, 'server.log'), '-o', opts]);
    } catch (e) {
      const log = existsSync(join(dir, 'server.log')) ? readFileSync(join(dir, 'server.log'), 'utf8') : '';
      throw new Error(`pg_ctl start failed: ${(e as Error).message}\n${log}`);
    }
    return { host: '127.0.0.1', port, user, password, database: 'postgres', startupMs: performance.now() - t0, stop };
  } catch (e) {
    stop();
    throw e;
  }
}
