import type { ServiceTier } from '../../services/domain/catalog-events';
import type { Policy, TierWeights } from '../policy';
import type { ServiceFact } from './change-facts';

/** A service the catalog does not know counts as the policy's `services.unregisteredTier`. */
export function effectiveTier(policy: Policy, tier: ServiceTier | null): ServiceTier {
  return tier ?? policy.services.unregisteredTier;
}

/** The most critical (lowest) tier among the services; 1 is the most critical. */
export function mostCriticalTier(policy: Policy, services: readonly ServiceFact[]): ServiceTier {
  return services.reduce<ServiceTier>(
    (most, service) => Math.min(most, effectiveTier(policy, service.tier)) as ServiceTier,
    4,
  );
}

export function weightOf(weights: TierWeights, tier: ServiceTier): number {
  return weights[`tier${tier}`];
}
