/**
 * Shapes the API documents only as open objects (the folded change's assessment and stages):
 * the fields the console reads, as the ledger's events record them (src/changes/domain/events.ts).
 */
export interface Assessment {
  readonly score: number;
  readonly level: string;
  readonly route: string;
  readonly requiredApprovals: number;
  readonly requiredCabApprovals: number;
  readonly routedBy: string;
  readonly policyVersion: string;
  readonly approvalDueBy?: string;
  readonly factors: ReadonlyArray<{ factor: string; contribution: number; detail: string }>;
  readonly conflicts: ReadonlyArray<{ kind: string; with: string; detail: string; action: string }>;
}

export interface RolloutStage {
  readonly stage: string;
  readonly percent: number;
  readonly passed: boolean;
  readonly at: string;
  readonly gates: ReadonlyArray<{
    name: string;
    verdict: string;
    observed?: number;
    threshold?: number;
  }>;
}

export interface ChangeRequestFields {
  readonly title: string;
  readonly description?: string;
  readonly type: string;
  readonly category: string;
  readonly services: readonly string[];
  readonly environment: string;
  readonly justification?: string;
  readonly implementationSteps?: readonly string[];
  readonly rollbackPlan?: { trigger: string; steps: readonly string[]; expectedMinutes: number };
  readonly testPlan?: string;
  readonly communicationPlan?: string;
  readonly plannedWindow?: { start: string; end: string };
  readonly version?: string;
  readonly externalRefs?: Record<string, string>;
}
