import type { ExistingChange } from './change-state';
import { GATE_VERDICTS } from './commands';
import type { CompleteRolloutStage, GateResult } from './commands';
import { DomainError } from './domain-error';
import { hasText } from './required-text';
import { refusalMessage } from './transitions';

/** Refuses (invalid-rollout-stage) a stage that does not move the rollout forward. */
export function assertNextStage(change: ExistingChange, command: CompleteRolloutStage): void {
  const problem = stageProblem(change, command);
  if (problem !== undefined) {
    throw new DomainError(
      'invalid-rollout-stage',
      refusalMessage(command.kind, change.status, problem),
    );
  }
}

/** A stage passes when every gate passed; a failure is recorded, never acted on here. */
export function stagePassed(gates: readonly GateResult[]): boolean {
  return gates.every((gate) => gate.verdict === 'pass');
}

function stageProblem(
  change: ExistingChange,
  { stage, percent, gates }: CompleteRolloutStage,
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
