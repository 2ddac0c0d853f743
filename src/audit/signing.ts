import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { sha256 } from '../util/digest.js';

/** signature.json beside a package's SHA256SUMS, and the `signature` of a decision record. */
export interface SignatureRecord {
  algorithm: 'ed25519';
  /** sha256: + hex SHA-256 of the public key's DER (SPKI) encoding: names the key. */
  keyFingerprint: string;
  /** The public key (SPKI PEM), so verify needs nothing but the package. */
  publicKey: string;
  /** Base64 Ed25519 signature of the signed bytes. */
  signature: string;
}

export interface Signer {
  keyFingerprint: string;
  sign(data: string | Buffer): SignatureRecord;
}

export class SigningError extends Error {}

export function keyFingerprint(publicKey: KeyObject): string {
  return `sha256:${sha256(publicKey.export({ type: 'spki', format: 'der' }))}`;
}

/**
 * The project's signer, or null when the project does not sign. When exptrack.yaml names a key
 * variable, it must be set and point at an Ed25519 private key: a configured signature is never
 * silently skipped. The key's path and contents never appear in messages or artifacts.
 */
export function loadSigner(signing: { keyEnv: string } | null, env: NodeJS.ProcessEnv = process.env): Signer | null {
  if (!signing) return null;
  const path = env[signing.keyEnv];
  if (!path) throw new SigningError(`signing is configured (signing.key_env in exptrack.yaml) but the environment variable ${signing.keyEnv} is not set`);
  let key: KeyObject;
  try {
    key = createPrivateKey(readFileSync(path));
  } catch {
    throw new SigningError(`the file named by ${signing.keyEnv} cannot be read as a PEM private key`);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new SigningError(`the key named by ${signing.keyEnv} is ${key.asymmetricKeyType}; expected ed25519`);
  const pub = createPublicKey(key);
  const fingerprint = keyFingerprint(pub);
  const publicKey = pub.export({ type: 'spki', format: 'pem' }).toString();
  return {
    keyFingerprint: fingerprint,
    sign: (data) => ({ algorithm: 'ed25519', keyFingerprint: fingerprint, publicKey, signature: sign(null, Buffer.from(data), key).toString('base64') }),
  };
}

/** Checks a signature record against the signed bytes; returns a problem message or null. */
export function checkSignature(record: unknown, data: string | Buffer): string | null {
  const r = record as Partial<SignatureRecord> | null;
  if (!r || r.algorithm !== 'ed25519' || typeof r.publicKey !== 'string' || typeof r.signature !== 'string') return 'not an ed25519 signature record';
  let pub: KeyObject;
  try {
    pub = createPublicKey(r.publicKey);
  } catch {
    return 'the stored public key is not a valid PEM key';
  }
  if (keyFingerprint(pub) !== r.keyFingerprint) return 'the key fingerprint does not match the stored public key';
  return verify(null, Buffer.from(data), pub, Buffer.from(r.signature, 'base64')) ? null : `the signature by key ${r.keyFingerprint} does not match the signed content`;
}
