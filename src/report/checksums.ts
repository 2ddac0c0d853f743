/**
 * SHA256SUMS in the format of coreutils' sha256sum, so an auditor can check a package with
 * `sha256sum -c SHA256SUMS` and no exptrack at all. One canonical form: sorted, two spaces, LF.
 */
export function checksumsText(digests: Map<string, string>): string {
  return [...digests.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([path, digest]) => `${digest}  ${path}\n`)
    .join('');
}

export function parseChecksums(text: string): Map<string, string> | null {
  const out = new Map<string, string>();
  const lines = text.split('\n');
  if (lines.pop() !== '') return null;
  for (const line of lines) {
    const m = /^([0-9a-f]{64}) {2}(\S(?:.*\S)?)$/.exec(line);
    if (!m || out.has(m[2])) return null;
    out.set(m[2], m[1]);
  }
  return out;
}
