import type { Results } from '../run/results.js';

/**
 * Lifecycle signals for orchestrators: what happened to an experiment at this run, beside the check
 * codes. Pure: computed from the run's results, its place in the experiment's hash chain and the spec's
 * stall limit; they change neither the recommendation nor the exit code.
 */

export type LifecycleSeverity = 'info' | 'warn';

export interface LifecycleCodeInfo {
  severity: LifecycleSeverity;
  meaning: string;
  /** What an orchestrator should do on it. */
  action: string;
}

export const LIFECYCLE_CODES = {
  EXPERIMENT_STARTED: {
    severity: 'info',
    meaning: "the experiment's first report package (sequence 1 of its hash chain)",
    action: 'register the experiment, notify its owner, schedule its runs',
  },
  EXPERIMENT_RESULT: {
    severity: 'info',
    meaning: 'a concluded verdict: ship or stop, at the planned horizon (as-of at or after `end`) or, with sequential testing, at any look',
    action: 'ask the owner to record the decision (`exptrack decide`); stop scheduling the spec once decided',
  },
  EXPERIMENT_INSUFFICIENT_SAMPLES: {
    severity: 'warn',
    meaning: 'an arm has fewer units than `insufficient_samples.min_units`; no conclusion can be trusted yet',
    action: 'keep running; do not act on the recommendation; alert if it persists past the planned end',
  },
  EXPERIMENT_LARGE_SPLIT_WARN: {
    severity: 'warn',
    meaning: 'a variant is planned for more than `large_split.max_weight` of traffic; shipping it needs a human sign-off',
    action: 'never ship automatically: a person records `exptrack decide … --acknowledge <reason>` (decide refuses without it)',
  },
  EXPERIMENT_STALLED: {
    severity: 'warn',
    meaning: 'while the experiment should be running, no new unit was exposed, or a source had no new event, for longer than `lifecycle.stall_after` (watched for scheduled specs and specs that set it)',
    action: 'page the owner: check the assignment service, the exposure logging and the loaders',
  },
} as const satisfies Record<string, LifecycleCodeInfo>;

export type LifecycleCode = keyof typeof LIFECYCLE_CODES;

export interface LifecycleSignal {
  code: LifecycleCode;
  severity: LifecycleSeverity;
  message: string;
  action: string;
  /** EXPERIMENT_LARGE_SPLIT_WARN: a ship needs `exptrack decide --acknowledge`. */
  requiresSignOff?: true;
}

export interface LifecycleInput {
  results: Pick<Results, 'experiment' | 'run' | 'checks' | 'decision' | 'exposures' | 'sources'>;
  /** The package's place in the experiment's hash chain (1: its first package). */
  chainSequence: number;
  /** From the spec's lifecycle settings; null: nobody expects the experiment to keep growing. */
  stallAfterSeconds: number | null;
}

const failed = (r: LifecycleInput['results'], reasonCode: string) => r.checks.find((c) => c.reasonCode === reasonCode && c.status === 'fail');

function signal(code: LifecycleCode, message: string, extra: Partial<LifecycleSignal> = {}): LifecycleSignal {
  const info = LIFECYCLE_CODES[code];
  return { code, severity: info.severity, message, action: info.action, ...extra };
}

export function lifecycleSignals({ results: r, chainSequence, stallAfterSeconds }: LifecycleInput): LifecycleSignal[] {
  const out: LifecycleSignal[] = [];
  const asOf = Date.parse(r.run.asOf);
  const end = r.experiment.end === null ? null : Date.parse(r.experiment.end);
  if (chainSequence === 1) out.push(signal('EXPERIMENT_STARTED', `First package of ${r.experiment.id} (experiment key '${r.experiment.experimentKey}', started ${r.experiment.start}).`));

  const { recommendation, variant } = r.decision;
  const atHorizon = end !== null && asOf >= end;
  const concluded = (recommendation === 'ship' || recommendation === 'stop') && (atHorizon || r.experiment.analysis.sequential);
  if (concluded) {
    const how = atHorizon ? 'at the planned horizon' : 'at a sequential (always-valid) boundary';
    out.push(signal('EXPERIMENT_RESULT', `${recommendation === 'ship' ? `Ship ${variant}` : 'Stop'} ${how}.`));
  }

  const samples = failed(r, 'INSUFFICIENT_SAMPLES');
  if (samples) out.push(signal('EXPERIMENT_INSUFFICIENT_SAMPLES', samples.message));
  const split = failed(r, 'LARGE_SPLIT_WARN');
  if (split) out.push(signal('EXPERIMENT_LARGE_SPLIT_WARN', `${split.message} Shipping needs a human sign-off (exptrack decide --acknowledge).`, { requiresSignOff: true }));

  const running = asOf >= Date.parse(r.experiment.start) && (end === null || asOf < end) && !concluded;
  if (stallAfterSeconds !== null && running) {
    const limitMs = stallAfterSeconds * 1000;
    const newest = r.exposures.variants.map((v) => v.lastExposureAt).filter((t): t is string => t !== null).sort().pop() ?? null;
    const reasons: string[] = [];
    const since = newest === null ? Date.parse(r.experiment.start) : Date.parse(newest);
    if (asOf - since > limitMs) reasons.push(newest === null ? 'no unit has been exposed since the start' : `the newest unit was first exposed at ${newest}`);
    for (const s of r.sources) {
      if (s.latestEventAt === null) reasons.push(`${s.name} has no event since the start`);
      else if (asOf - Date.parse(s.latestEventAt) > limitMs) reasons.push(`${s.name}'s latest event is ${s.latestEventAt}`);
    }
    if (reasons.length) out.push(signal('EXPERIMENT_STALLED', `Stalled for longer than ${stallAfterSeconds / 3600} h: ${reasons.join('; ')}.`));
  }
  return out;
}
