import type { ServiceTier } from '../../services/domain/catalog-events';
import type { Policy, RiskLevel } from '../policy';

/** The change as the policy reads it: what the requester stated. */
export interface RiskSubject {
  readonly type: 'standard' | 'preapproved' | 'normal' | 'emergency';
  readonly category: string;
  readonly environment: string;
  readonly services: readonly string[];
  readonly hasDatabaseMigration: boolean;
  /** The requester's own estimate: a floor for the level, never a discount. */
  readonly declaredBlastRadius: RiskLevel;
  readonly filesChanged?: number;
  readonly linesChanged?: number;
  readonly templateId?: string;
}

export interface ServiceFact {
  readonly name: string;
  /** Null when the service catalog does not know the service. */
  readonly tier: ServiceTier | null;
}

export interface DownstreamService {
  readonly name: string;
  readonly tier: ServiceTier;
  /** 1: calls a changed service directly; 2: calls one of those; and so on. */
  readonly depth: number;
}

/** Deployments of the changed services over the policy's look-back period, from the read models. */
export interface DeploymentHistory {
  readonly lookBackDays: number;
  readonly deployments: number;
  /** Rolled back, or an alert is attributed to them. */
  readonly failed: number;
}

/**
 * What the ledger knows about a change's services when it decides: gathered by the command
 * path from the service catalog and the read models, passed in so the decision stays pure, and
 * recorded with the assessment so an auditor sees what it rested on.
 */
export interface ChangeFacts {
  readonly services: readonly ServiceFact[];
  /** Services that depend on the changed ones, to any depth, the changed ones excluded. */
  readonly downstream: readonly DownstreamService[];
  readonly history: DeploymentHistory;
}

/** Facts of a change nothing is known about (recorded before facts were, or refused unseen). */
export const NO_FACTS: ChangeFacts = {
  services: [],
  downstream: [],
  history: { lookBackDays: 0, deployments: 0, failed: 0 },
};

/** Where the command path finds the facts: the read models, in the service (src/delivery/). */
export interface ChangeFactsSource {
  factsFor(
    policy: Policy,
    services: readonly string[],
    environment: string,
    at: string,
  ): Promise<ChangeFacts>;
}

export const CHANGE_FACTS = Symbol('CHANGE_FACTS');
