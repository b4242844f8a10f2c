/** Who did it, from where and why: recorded with every event and covered by its hash. */
export interface EventMetadata {
  readonly actor: string;
  readonly source: string;
  readonly correlationId: string;
  readonly causationId: string | null;
  readonly occurredAt: string;
  /** Version of the event's data shape, so readers can upcast old events. */
  readonly schemaVersion: number;
}

export type EventData = Readonly<Record<string, unknown>>;

/** An event a caller wants to append; the store gives it its place and its hashes. */
export interface ProposedEvent {
  readonly eventId: string;
  readonly type: string;
  readonly data: EventData;
  readonly metadata: EventMetadata;
}

/** The part of a stored event that its hash covers. */
export interface ChainedEnvelope extends ProposedEvent {
  readonly streamId: string;
  readonly revision: number;
  readonly recordedAt: string;
  readonly prevHash: string;
}

/**
 * An event as stored. `position` is its place in the global feed: opaque to callers,
 * assigned at commit (so it is not part of the hash; Merkle checkpoints cover the order).
 */
export interface RecordedEvent extends ChainedEnvelope {
  readonly hash: string;
  readonly position: string;
}
