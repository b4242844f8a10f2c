import type { DeploymentPhase } from '../deployments/domain/service-events';
import type { Refusal, Refused } from '../kernel/refusal';

/**
 * What an ingested message says happened, in our words, whatever format it came in.
 * `sourceId` is the sender's own identity for the occurrence: ledger event ids are derived
 * from it (UUID v5), so a redelivered or replayed message never records a second event.
 */
interface ObservationBase {
  /** Format that produced it: cdevents, alertmanager, github, generic. */
  readonly format: string;
  readonly sourceId: string;
  /** ISO-8601 instant the sender says it happened. */
  readonly occurredAt: string;
  /**
   * Who or what the payload says did it (a pipeline, a bot, a user, a CloudEvent source): kept
   * as reported data, never as the actor, which is the authenticated sender.
   */
  readonly reportedBy?: string;
}

export interface DeploymentObservation extends ObservationBase {
  readonly kind: 'deployment';
  readonly phase: DeploymentPhase;
  readonly service: string;
  readonly environment: string;
  readonly version?: string;
  readonly commit?: string;
  /** Our change id when the sender names it (payload field or label). */
  readonly changeId?: string;
  readonly deploymentId?: string;
  readonly stage?: string;
  readonly percent?: number;
  readonly url?: string;
}

export interface ChangeMergedObservation extends ObservationBase {
  readonly kind: 'change-merged';
  readonly repository?: string;
  readonly commit?: string;
  readonly pullRequest?: string;
  readonly service?: string;
  readonly changeId?: string;
}

export interface AlertObservation extends ObservationBase {
  readonly kind: 'alert';
  readonly status: 'firing' | 'resolved';
  /** Stable identity of the alert instance (Alertmanager: fingerprint + startsAt). */
  readonly alertId: string;
  readonly name: string;
  readonly service: string;
  readonly environment?: string;
  readonly severity: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly startsAt: string;
  readonly endsAt?: string;
  readonly summary?: string;
  readonly url?: string;
}

export interface IncidentObservation extends ObservationBase {
  readonly kind: 'incident';
  readonly status: 'detected' | 'reported' | 'resolved';
  readonly incidentId: string;
  readonly service: string;
  readonly environment?: string;
  readonly description?: string;
  readonly url?: string;
}

export type Observation =
  DeploymentObservation | ChangeMergedObservation | AlertObservation | IncidentObservation;

/** A message as it arrived: raw body bytes and headers (Kafka headers or HTTP headers). */
export interface InboundMessage {
  readonly body: Buffer;
  /** Header names lower-cased. */
  readonly headers: Readonly<Record<string, string>>;
}

/** The message cannot be understood; it goes to the dead-letter topic with this reason. */
export class MalformedMessage extends Error implements Refused {
  constructor(
    readonly reason: string,
    readonly field?: string,
  ) {
    super(field ? `${field}: ${reason}` : reason);
    this.name = 'MalformedMessage';
  }

  get refusal(): Refusal {
    return {
      kind: 'invalid',
      code: 'malformed-message',
      fields: [{ field: this.field ?? 'body', reason: this.reason }],
    };
  }
}

/** Turns one inbound message into what it reports; throws MalformedMessage, never guesses. */
export type Normalizer = (message: InboundMessage) => Observation[];

/**
 * A message under an id the sender already used, reporting something else: refused, never
 * taken for a repeat of the first (which the ledger keeps as it was recorded).
 */
export class ConflictingRedelivery extends MalformedMessage {
  constructor(readonly sourceId: string) {
    super(
      'an earlier message under this id reported something else; it is recorded as it was',
      'id',
    );
    this.name = 'ConflictingRedelivery';
  }

  override get refusal(): Refusal {
    return {
      kind: 'conflict',
      code: 'conflicting-redelivery',
      fields: [{ field: this.field ?? 'id', reason: this.reason }],
    };
  }
}
