import type { Condition } from './conditions/condition';
import type { Policy, RiskRule, RoutingRule } from './policy';

export interface CompiledRiskRule {
  readonly rule: RiskRule;
  readonly condition: Condition;
}

export interface CompiledRoutingRule {
  readonly rule: RoutingRule;
  /** Null: the rule has no condition and matches every change. */
  readonly condition: Condition | null;
}

/**
 * The policy a decision is made under: the validated document, its version (recorded with
 * every decision) and its conditions parsed once. Built by policy-file/read-policy.ts.
 */
export interface PolicyInForce {
  /** `sha256:` and the hex SHA-256 of the document's canonical JSON (RFC 8785). */
  readonly version: string;
  readonly document: Policy;
  readonly riskRules: readonly CompiledRiskRule[];
  readonly routing: readonly CompiledRoutingRule[];
}
