// BigQuery's real credential path, end to end through the CLI: GOOGLE_APPLICATION_CREDENTIALS names a
// service-account key file (an RSA key made here); the unmodified SDK reads it, signs a JWT and
// exchanges it for an access token at a FAKE Google token endpoint (reached through the transport's
// standard proxy variables, see test/fakes/fake-google-token-server.ts), then queries the FAKE
// BigQuery server, which accepts only that token. A key that does not match the account fails with
// kind `authentication`, and no key material appears in the output.
import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { duckdbAnswers, type DuckdbBackedAnswers } from '../fakes/fake-bigquery-duckdb.js';
import { FakeBigqueryServer } from '../fakes/fake-bigquery-server.js';
import { FakeGoogleTokenServer, GOOGLE_TOKEN_URL, makeCertificates } from '../fakes/fake-google-token-server.js';
import { CLI, demoProject } from '../helpers/demo-project.js';

const exec = promisify(execFile);
const EMAIL = 'exptrack-runner@demo-project.iam.gserviceaccount.com';

const dir = mkdtempSync(join(tmpdir(), 'exptrack-bq-sa-'));
let project: string;
let answers: DuckdbBackedAnswers;
let tokens: FakeGoogleTokenServer;
let bq: FakeBigqueryServer;
let caFile: string;

function keyFile(name: string, privateKey: string): string {
  const path = join(dir, name);
  // The fields of a key file as the Cloud console writes it.
  writeFileSync(
    path,
    JSON.stringify({
      type: 'service_account',
      project_id: 'demo-project',
      private_key_id: 'f0e1d2c3b4a5',
      private_key: privateKey,
      client_email: EMAIL,
      client_id: '100000000000000000001',
      auth_uri: 'https://accounts.google.com/o/oauth2/auth',
      token_uri: GOOGLE_TOKEN_URL,
      universe_domain: 'googleapis.com',
    }),
  );
  return path;
}

const pem = () => generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
const good = pem();
const wrong = pem();

beforeAll(async () => {
  project = await demoProject();
  const tls = makeCertificates(dir);
  caFile = tls.caFile;
  tokens = new FakeGoogleTokenServer(tls, { [EMAIL]: good.publicKey });
  await tokens.start();
  answers = await duckdbAnswers(join(project, 'target', 'demo.duckdb'));
  bq = new FakeBigqueryServer({ answer: (sql, how) => answers.answer(sql, how), token: tokens.accessToken });
  await bq.start();
  appendFileSync(join(project, 'exptrack.yaml'), `  bq:\n    type: bigquery\n    project: demo-project\n    api_endpoint: ${bq.url}\n`);
});

afterAll(async () => {
  await bq?.stop();
  await tokens?.stop();
  answers?.close();
});

async function cli(args: string[], credentials: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NO_COLOR: '1',
    HOME: dir,
    CLOUDSDK_CONFIG: dir,
    METADATA_SERVER_DETECTION: 'none',
    GOOGLE_APPLICATION_CREDENTIALS: credentials,
    // The SDK's transport (gaxios) honours these; the BigQuery API itself is the fake on 127.0.0.1.
    HTTPS_PROXY: tokens.proxyUrl,
    NO_PROXY: '127.0.0.1,localhost',
    NODE_EXTRA_CA_CERTS: caFile,
  };
  for (const k of ['https_proxy', 'http_proxy', 'HTTP_PROXY', 'no_proxy']) delete env[k];
  try {
    const { stdout, stderr } = await exec(process.execPath, [CLI, ...args, '--project-dir', project], { env });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('BigQuery with a service-account key file (GOOGLE_APPLICATION_CREDENTIALS)', () => {
  it('signs a JWT with the key, exchanges it for a token, and queries with that token', async () => {
    const r = await cli(['run', 'homepage_aa', '--json', '-t', 'bq'], keyFile('key.json', good.privateKey));
    expect(r.stderr).not.toMatch(/authentication failed/);
    expect(JSON.parse(r.stdout).experiments.map((e: { id: string }) => e.id)).toEqual(['homepage_aa']);
    const granted = tokens.exchanges.filter((x) => x.ok);
    expect(granted.length).toBeGreaterThanOrEqual(1);
    expect(granted[0].claims).toMatchObject({ iss: EMAIL, aud: GOOGLE_TOKEN_URL, scope: expect.stringContaining('https://www.googleapis.com/auth/bigquery') });
    expect(tokens.tunnels.every((t) => t === 'oauth2.googleapis.com:443')).toBe(true);
    // Every API request carried the exchanged token (the fake refuses any other).
    const api = bq.requests.filter((q) => q.endpoint !== 'other');
    expect(api.length).toBeGreaterThan(0);
    expect(api.every((q) => q.authorization === `Bearer ${tokens.accessToken}`)).toBe(true);
  });

  it('a key that does not belong to the account fails with kind authentication, printing no key material', async () => {
    const before = bq.requests.length;
    const r = await cli(['run', 'homepage_aa', '--json', '-t', 'bq'], keyFile('wrong-key.json', wrong.privateKey));
    expect(r.code).not.toBe(0);
    expect(tokens.exchanges.at(-1)).toMatchObject({ ok: false, reason: 'Invalid JWT Signature.' });
    const out = `${r.stdout}${r.stderr}`;
    expect(out).toMatch(/"kind":\s*"authentication"/);
    expect(out).not.toContain('PRIVATE KEY');
    expect(out).not.toContain(wrong.privateKey.split('\n')[1]);
    // No query reached BigQuery without a token.
    expect(bq.requests.slice(before).filter((q) => q.authorization === undefined && q.endpoint !== 'other')).toEqual([]);
  });
});
