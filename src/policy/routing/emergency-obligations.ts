import type { EmergencyRoute } from '../policy';

const HOUR_MS = 3_600_000;

/** What an emergency deployment owes afterwards, and by when; fixed when it starts. */
export interface EmergencyObligations {
  /** The post-implementation review. */
  readonly reviewDueBy: string;
  /** A change ticket on record (externalRefs.ticket). */
  readonly ticketDueBy: string;
  readonly postMortemDueBy: string;
}

/** Deadlines counted from `startedAt` (epoch ms), in UTC. */
export function emergencyObligations(
  route: EmergencyRoute,
  startedAt: number,
): EmergencyObligations {
  const after = (hours: number) => new Date(startedAt + hours * HOUR_MS).toISOString();
  return {
    reviewDueBy: after(route.reviewWithinHours),
    ticketDueBy: after(route.ticketWithinHours),
    postMortemDueBy: after(route.postMortemWithinHours),
  };
}
