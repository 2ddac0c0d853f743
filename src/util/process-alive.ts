/**
 * Whether a process with this pid exists on this host. Signal 0 checks without sending anything;
 * EPERM means it exists but belongs to another user, which still counts as alive.
 */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
