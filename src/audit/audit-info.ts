import type { Changelog } from './changelog.js';
import type { ChainLink } from './chain.js';
import type { SourceFingerprint } from './fingerprints.js';
import type { GitProvenance } from './git-provenance.js';

/** results.json `audit` and the manifest's audit fields: what a reviewer needs months later. */
export interface AuditInfo {
  fingerprints: SourceFingerprint[];
  chain: ChainLink;
  git: GitProvenance | null;
  changelog: Changelog;
  /** The key that signs this package (signature.json), when the project signs. */
  signing: { keyFingerprint: string } | null;
}
