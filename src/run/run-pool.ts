/**
 * Runs `work(i)` for i = 0 … count-1, at most `limit` at once, starting them in order. One failing
 * does not stop the others; `stop()` returning true (Ctrl-C) starts no more. Outcomes come back by
 * index, so whatever the caller reports stays in input order however the runs interleave.
 */
export async function runPool<T>(count: number, limit: number, work: (i: number) => Promise<T>, stop: () => boolean = () => false): Promise<({ ok: true; value: T } | { ok: false; error: unknown } | undefined)[]> {
  const out: ({ ok: true; value: T } | { ok: false; error: unknown } | undefined)[] = new Array(count).fill(undefined);
  let next = 0;
  const worker = async () => {
    while (next < count && !stop()) {
      const i = next++;
      try {
        out[i] = { ok: true, value: await work(i) };
      } catch (error) {
        out[i] = { ok: false, error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, count)) }, worker));
  return out;
}

/** Calls run one at a time in the order they asked: a section several concurrent runs must not share. */
export function createTurns(): <T>(fn: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(fn: () => Promise<T>): Promise<T> => {
    const mine = tail.then(fn, fn);
    tail = mine.catch(() => undefined);
    return mine;
  };
}
