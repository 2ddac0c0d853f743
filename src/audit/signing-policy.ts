/**
 * Whose signatures count in an experiment. A package's own signature check (package-signature.ts)
 * only proves the package agrees with its manifest, and a forger can rewrite the manifest to say
 * "unsigned". So the experiment as a whole holds the rules: once a package in the chain is signed,
 * every later package (and every later decision) must carry a valid signature by the same key; with
 * trusted keys (`verify --key`, or `verify.trusted_keys` in exptrack.yaml) every chained package and
 * every decision must be signed by one of them.
 */

export interface SignedItem {
  /** Run id of a package, or `decisions.jsonl line N`. */
  subject: string;
  /** Whether the manifest (or record) claims a signature. */
  claimsSigned: boolean;
  /** Fingerprint of the key whose signature holds, else null. */
  signedBy: string | null;
}

export interface SigningProblem {
  subject: string;
  kind: 'unsigned' | 'untrusted';
  message: string;
}

const short = (k: string) => `${k.slice(0, 19)}…`;

/** Applies the rules to items in chain order (packages by sequence, then decisions by sequence). */
export function checkSigningPolicy(packages: SignedItem[], decisions: SignedItem[], trustedKeys: string[]): SigningProblem[] {
  const problems: SigningProblem[] = [];
  const trusted = new Set(trustedKeys);
  for (const items of [packages, decisions]) {
    const first = items.findIndex((i) => i.signedBy !== null || i.claimsSigned);
    const firstKey = first >= 0 ? items[first].signedBy : null;
    items.forEach((item, i) => {
      if (trusted.size) {
        if (!item.signedBy) problems.push({ subject: item.subject, kind: 'unsigned', message: `not signed by a trusted key (${[...trusted].map(short).join(', ')})` });
        else if (!trusted.has(item.signedBy)) problems.push({ subject: item.subject, kind: 'untrusted', message: `signed by ${item.signedBy}, which is not a trusted key` });
        return;
      }
      if (first < 0 || i <= first) return;
      // A claimed-but-broken signature is already reported by the package check; an absent one is the downgrade.
      if (!item.signedBy && !item.claimsSigned) problems.push({ subject: item.subject, kind: 'unsigned', message: `unsigned, but ${items[first].subject} before it in the chain is signed: a signed experiment cannot go back to unsigned (a downgrade forgery, or signing switched off)` });
      else if (item.signedBy && firstKey && item.signedBy !== firstKey) problems.push({ subject: item.subject, kind: 'untrusted', message: `signed by ${item.signedBy}, but the chain is signed by ${firstKey}; pass --key with every key that may sign` });
    });
  }
  return problems;
}

/** `--key` values and configured keys: `sha256:` + 64 hex digits. */
export function parseKeyFingerprint(value: string): string {
  const v = value.trim().toLowerCase();
  const full = v.startsWith('sha256:') ? v : `sha256:${v}`;
  if (!/^sha256:[0-9a-f]{64}$/.test(full)) throw new Error(`--key '${value}' is not a key fingerprint (sha256: followed by 64 hex digits, as verify prints after "signed by")`);
  return full;
}
