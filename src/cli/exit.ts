/** Exit codes are a contract with orchestrators (README, "Exit codes"). */
export const EXIT = { ok: 0, checkFailed: 1, couldNotRun: 2 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export function exitWith(code: ExitCode): void {
  process.exitCode = code;
}
