/**
 * FAKE Google OAuth token endpoint, for the service-account credential path of the BigQuery SDK.
 *
 * google-auth-library (v10, under @google-cloud/bigquery) signs a JWT with the key file's private key
 * and POSTs it to https://oauth2.googleapis.com/token, a URL it hard-codes (the key file's `token_uri`
 * is read by the Python library, not by this one). What the Node library does honour is its
 * transport's proxy variables (gaxios: HTTPS_PROXY, NO_PROXY) and Node's NODE_EXTRA_CA_CERTS. So the
 * fake is a CONNECT proxy on 127.0.0.1 that tunnels only oauth2.googleapis.com:443, and only to a
 * local HTTPS server holding a certificate for that name, signed by a CA made for the test. Nothing
 * leaves the machine: any other CONNECT is refused.
 *
 * The token server checks what Google checks: an RS256 signature by the registered key, iss, aud,
 * scope and expiry; a bad one gets Google's answer, 400 invalid_grant.
 */
import { execFileSync } from 'node:child_process';
import { createPublicKey, randomUUID, verify, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect, type AddressInfo } from 'node:net';
import { join } from 'node:path';

export const GOOGLE_TOKEN_HOST = 'oauth2.googleapis.com';
export const GOOGLE_TOKEN_URL = `https://${GOOGLE_TOKEN_HOST}/token`;

/** A CA and a server certificate for oauth2.googleapis.com, made with the openssl command in `dir`. */
export function makeCertificates(dir: string): { caFile: string; key: string; cert: string } {
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  run('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=exptrack test CA');
  run('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', `/CN=${GOOGLE_TOKEN_HOST}`);
  const ext = join(dir, 'san.ext');
  execFileSync('sh', ['-c', `printf 'subjectAltName=DNS:${GOOGLE_TOKEN_HOST}\\n' > ${JSON.stringify(ext)}`]);
  run('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '2', '-extfile', ext);
  return { caFile: join(dir, 'ca.pem'), key: readFileSync(join(dir, 'server.key'), 'utf8'), cert: readFileSync(join(dir, 'server.pem'), 'utf8') };
}

export interface TokenExchange {
  ok: boolean;
  claims?: Record<string, unknown>;
  reason?: string;
}

export class FakeGoogleTokenServer {
  readonly exchanges: TokenExchange[] = [];
  readonly tunnels: string[] = [];
  /** The access token issued for a valid assertion; the fake BigQuery server requires it. */
  readonly accessToken = `ya29.fake-${randomUUID()}`;
  proxyUrl = '';
  private https: Server | undefined;
  private proxy: Server | undefined;
  /** Tunnelled sockets leave the HTTP server's bookkeeping: closed by hand on stop. */
  private readonly sockets = new Set<{ destroy: () => void }>();

  constructor(
    private readonly tls: { key: string; cert: string },
    /** client_email -> the public half of its service-account key */
    private readonly accounts: Record<string, KeyObject | string>,
  ) {}

  async start(): Promise<string> {
    this.https = createHttpsServer(this.tls, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
        const result = req.method === 'POST' && req.url === '/token' ? this.check(form) : { ok: false, reason: `no ${req.method} ${req.url}` };
        this.exchanges.push(result);
        res.writeHead(result.ok ? 200 : 400, { 'content-type': 'application/json' });
        res.end(JSON.stringify(result.ok ? { access_token: this.accessToken, expires_in: 3599, token_type: 'Bearer' } : { error: 'invalid_grant', error_description: result.reason }));
      });
    });
    await new Promise<void>((r) => this.https!.listen(0, '127.0.0.1', r));
    const tlsPort = (this.https.address() as AddressInfo).port;
    this.proxy = createHttpServer((_req, res) => {
      res.writeHead(403);
      res.end();
    });
    this.proxy.on('connect', (req, socket, head) => {
      this.tunnels.push(String(req.url));
      if (req.url !== `${GOOGLE_TOKEN_HOST}:443`) {
        socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
        return;
      }
      const upstream = connect(tlsPort, '127.0.0.1', () => {
        this.sockets.add(socket);
        this.sockets.add(upstream);
        socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(socket);
        socket.pipe(upstream);
      });
      upstream.on('error', () => socket.destroy());
      socket.on('error', () => upstream.destroy());
    });
    await new Promise<void>((r) => this.proxy!.listen(0, '127.0.0.1', r));
    this.proxyUrl = `http://127.0.0.1:${(this.proxy.address() as AddressInfo).port}`;
    return this.proxyUrl;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    for (const s of [this.proxy, this.https]) {
      s?.closeAllConnections();
      await new Promise<void>((r) => (s ? s.close(() => r()) : r()));
    }
  }

  /** Google's checks on a jwt-bearer grant (RFC 7523): signature, issuer, audience, scope, lifetime. */
  private check(form: URLSearchParams): TokenExchange {
    if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer') return { ok: false, reason: 'unsupported grant_type' };
    const [header, payload, signature] = String(form.get('assertion')).split('.');
    if (!signature) return { ok: false, reason: 'malformed assertion' };
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const alg = (JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as { alg?: string }).alg;
    const key = this.accounts[String(claims.iss)];
    if (!key) return { ok: false, claims, reason: 'Invalid grant: account not found' };
    const publicKey = typeof key === 'string' ? createPublicKey(key) : key;
    if (alg !== 'RS256' || !verify('RSA-SHA256', Buffer.from(`${header}.${payload}`), publicKey, Buffer.from(signature, 'base64url'))) {
      return { ok: false, claims, reason: 'Invalid JWT Signature.' };
    }
    const now = Date.now() / 1000;
    if (claims.aud !== GOOGLE_TOKEN_URL) return { ok: false, claims, reason: 'Invalid JWT: audience' };
    if (!(Number(claims.exp) > now && Number(claims.iat) <= now + 60 && Number(claims.exp) - Number(claims.iat) <= 3600)) return { ok: false, claims, reason: 'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe.' };
    if (!String(claims.scope ?? '').split(' ').includes('https://www.googleapis.com/auth/bigquery')) return { ok: false, claims, reason: 'Invalid JWT: scope' };
    return { ok: true, claims };
  }
}
