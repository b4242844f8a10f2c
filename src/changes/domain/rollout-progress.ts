import { judgeStage, type StageVerdict } from '../../policy/gates/stage-gates';
import type { ExistingChange } from './change-state';
import { GATE_VERDICTS } from './commands';
import type { CompleteRolloutStage, GateResult, MarkDeployed } from './commands';
import { DomainError } from '../../kernel/domain-error';
import { hasText } from '../../kernel/required-text';
import { refusalMessage } from './transitions';

const MINUTE_MS = 60_000;

/** Refuses (invalid-rollout-stage) a stage that does not move the rollout forward. */
export function assertNextStage(change: ExistingChange, command: CompleteRolloutStage): void {
  assertNotHalted(change, command);
  const problem = stageProblem(change, command);
  if (problem !== undefined) {
    throw new DomainError(
      'invalid-rollout-stage',
      refusalMessage(command.kind, change.status, problem),
    );
  }
}

/** Refuses (rollout-halted) to go on with a rollout whose gates halted it: it may only roll back. */
export function assertNotHalted(
  change: ExistingChange,
  command: CompleteRolloutStage | MarkDeployed,
): void {
  const halted = change.halted;
  if (halted === undefined) return;
  throw new DomainError(
    'rollout-halted',
    refusalMessage(
      command.kind,
      change.status,
      `stage "${halted.stage}" halted the rollout (${halted.reason ?? 'a gate failed'}); it can only be rolled back`,
    ),
  );
}

/**
 * The ledger's verdict on a stage: the policy's gates against the stage's metrics, held for as
 * long as the ledger measured since the previous step (from the earlier of the reported and the
 * received time, so a report dated ahead cannot make a stage look held longer).
 */
export function stageVerdict(
  change: ExistingChange,
  command: CompleteRolloutStage,
): StageVerdict & {
  readonly heldMinutes: number;
} {
  const previous = change.rolloutStages.at(-1)?.at ?? change.deployment?.at ?? command.at;
  const now = Math.min(Date.parse(command.at), Date.parse(command.receivedAt));
  const heldMinutes = Math.max(0, (now - Date.parse(previous)) / MINUTE_MS);
  const reportedFailures = command.gates.filter((g) => g.verdict === 'fail').map((g) => g.name);
  const verdict = judgeStage(
    command.policy.document.gates,
    command.metrics,
    heldMinutes,
    reportedFailures,
  );
  return { ...verdict, heldMinutes: Math.round(heldMinutes * 100) / 100 };
}

function stageProblem(
  change: ExistingChange,
  { stage, percent, gates, metrics }: CompleteRolloutStage,
): string | undefined {
  if (!hasText(stage)) return 'the stage needs a name';
  if (!Number.isFinite(percent) || percent <= 0 || percent > 100) {
    return `percent must be above 0 and at most 100, got ${percent}`;
  }
  // Stages are only recorded in increasing order, so the last one is the furthest.
  const previous = change.rolloutStages.at(-1);
  if (previous !== undefined && percent <= previous.percent) {
    return `percent must exceed ${previous.percent} (stage "${previous.stage}"), got ${percent}`;
  }
  const unrecordable = gates.find((gate) => !isRecordableGate(gate));
  if (unrecordable !== undefined) {
    return `gate "${unrecordable.name}" needs a name, a pass or fail verdict and finite numbers`;
  }
  const unmeasurable = Object.entries(metrics ?? {}).find(
    ([, value]) => value !== undefined && !(Number.isFinite(value) && value >= 0),
  );
  if (unmeasurable !== undefined) {
    return `metrics.${unmeasurable[0]} must be a finite number, 0 or more`;
  }
  return undefined;
}

// The ledger hashes canonical JSON, which has no NaN or Infinity.
function isRecordableGate(gate: GateResult): boolean {
  const finiteOrAbsent = (n: number | undefined) => n === undefined || Number.isFinite(n);
  return (
    hasText(gate.name) &&
    GATE_VERDICTS.includes(gate.verdict) &&
    finiteOrAbsent(gate.observed) &&
    finiteOrAbsent(gate.threshold)
  );
}
