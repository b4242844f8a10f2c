import type {
  ChainedEnvelope,
  EventMetadata,
  ProposedEvent,
  RecordedEvent,
} from '../../ledger-event';
import { UnstorableEvent } from '../../ledger-errors';
import { type EsdbPosition, encodeEsdbPosition, isUnknownPosition } from './esdb-position';
import { LONE_SURROGATE } from '../../../common/input-limits';

/**
 * How a ledger envelope sits in EventStoreDB:
 *  - the stream is our stream, the event id our eventId, the event type our type;
 *  - the event data is our `data` as JSON;
 *  - the event metadata is our `metadata` fields, flat, plus the chain fields below, plus
 *    `$correlationId`/`$causationId` (the names EventStoreDB's own projections read).
 * `position` is not stored: it is the event's place in `$all`, assigned by the server.
 */
export const CHAIN_FIELDS = ['revision', 'recordedAt', 'prevHash', 'hash'] as const;

/** What we ask the client to append (the shape of the client's `jsonEvent`). */
export interface EsdbEventToAppend {
  readonly id: string;
  readonly contentType: 'application/json';
  readonly type: string;
  readonly data: Record<string, unknown>;
  readonly metadata: Record<string, unknown>;
}

/** The part of the client's RecordedEvent the mapping reads; structural so specs can build one. */
export interface StoredEsdbEvent {
  readonly streamId: string;
  readonly id: string;
  readonly revision: bigint;
  readonly type: string;
  readonly isJson: boolean;
  readonly data: unknown;
  readonly metadata: unknown;
  readonly position?: EsdbPosition;
}

/** A stored event that is not a well-formed ledger event: never skipped, always surfaced. */
export class UnreadableLedgerEvent extends Error {
  constructor(
    readonly streamId: string,
    readonly revision: bigint,
    readonly reason: string,
  ) {
    super(`event ${streamId}@${revision} is not a readable ledger event: ${reason}`);
    this.name = 'UnreadableLedgerEvent';
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SHA256_HEX = /^[0-9a-f]{64}$/;
const RESERVED = new Set<string>(CHAIN_FIELDS);

/** `$`-prefixed streams and event types belong to the server (system events, tombstones, links). */
export function isSystemEvent(streamId: string, type: string): boolean {
  return streamId.startsWith('$') || type.startsWith('$');
}

export function isLedgerStream(streamId: string, prefixes: readonly string[]): boolean {
  return !streamId.startsWith('$') && prefixes.some((prefix) => streamId.startsWith(prefix));
}

/**
 * Refuses what EventStoreDB would store but the ledger could not read back faithfully: an event
 * outside the global feed's stream prefixes (it would escape the Merkle checkpoints), a `$` type
 * (the feed skips those), metadata keys that collide with the chain fields, ids that are no UUID.
 * Also refuses NUL characters and lone UTF-16 surrogates, which EventStoreDB would keep but the
 * PostgreSQL store cannot: every store accepts the same events, so a ledger can move between them.
 */
export function assertStorable(
  streamId: string,
  event: ProposedEvent,
  prefixes: readonly string[],
): void {
  const refuse = (reason: string) => new UnstorableEvent(event.eventId, reason);
  if (!UUID.test(event.eventId)) throw refuse('eventId is not a UUID');
  if (!isLedgerStream(streamId, prefixes)) {
    throw refuse(
      `stream ${JSON.stringify(streamId)} does not start with a ledger stream prefix (${prefixes.join(', ')}), so the global feed would not carry it`,
    );
  }
  if (event.type === '' || event.type.startsWith('$')) {
    throw refuse(
      'event type is empty or starts with "$" (reserved for EventStoreDB system events)',
    );
  }
  if (!isPlainObject(event.data)) throw refuse('data is not a JSON object');
  if (!isPlainObject(event.metadata)) throw refuse('metadata is not a JSON object');
  const problem =
    textProblem(streamId, 'streamId') ??
    textProblem(event.type, 'type') ??
    jsonProblem(event.data, 'data') ??
    jsonProblem(event.metadata, 'metadata');
  if (problem) throw refuse(problem);
  for (const key of Object.keys(event.metadata)) {
    if (RESERVED.has(key) || key.startsWith('$')) {
      throw refuse(`metadata key ${JSON.stringify(key)} is reserved by the EventStoreDB mapping`);
    }
  }
}

/** UUIDs compare case-insensitively; the server hands them back in lower case. */
export function normalizeEventId(eventId: string): string {
  return eventId.toLowerCase();
}

export function toEsdbEvent(event: ChainedEnvelope & { hash: string }): EsdbEventToAppend {
  const { metadata } = event;
  const stored: Record<string, unknown> = {
    ...metadata,
    revision: event.revision,
    recordedAt: event.recordedAt,
    prevHash: event.prevHash,
    hash: event.hash,
    $correlationId: metadata.correlationId,
  };
  if (typeof metadata.causationId === 'string') stored.$causationId = metadata.causationId;
  return {
    id: event.eventId,
    contentType: 'application/json',
    type: event.type,
    data: { ...event.data },
    metadata: stored,
  };
}

/** Throws UnreadableLedgerEvent rather than guess: the ledger's record must be exactly what was hashed. */
export function fromEsdbEvent(stored: StoredEsdbEvent): RecordedEvent {
  const unreadable = (reason: string) =>
    new UnreadableLedgerEvent(stored.streamId, stored.revision, reason);
  if (!stored.isJson) throw unreadable('content type is not application/json');
  if (!isPlainObject(stored.data)) throw unreadable('data is not a JSON object');
  if (!isPlainObject(stored.metadata)) throw unreadable('metadata is not a JSON object');
  if (isUnknownPosition(stored.position)) {
    throw unreadable(
      'the server did not send its $all position (stream reads carry it from EventStoreDB 22.10)',
    );
  }

  const { revision, recordedAt, prevHash, hash, ...rest } = stored.metadata;
  if (typeof revision !== 'number' || revision !== Number(stored.revision)) {
    throw unreadable(
      `metadata revision ${JSON.stringify(revision)} differs from its place in the stream; the stream was changed outside the ledger`,
    );
  }
  if (typeof recordedAt !== 'string') throw unreadable('metadata.recordedAt is missing');
  if (typeof prevHash !== 'string' || !SHA256_HEX.test(prevHash)) {
    throw unreadable('metadata.prevHash is not a SHA-256 hex digest');
  }
  if (typeof hash !== 'string' || !SHA256_HEX.test(hash)) {
    throw unreadable('metadata.hash is not a SHA-256 hex digest');
  }
  const metadata = Object.fromEntries(Object.entries(rest).filter(([key]) => !key.startsWith('$')));
  const problem = metadataProblem(metadata);
  if (problem) throw unreadable(problem);

  return {
    eventId: normalizeEventId(stored.id),
    streamId: stored.streamId,
    revision,
    type: stored.type,
    data: stored.data,
    metadata: metadata as unknown as EventMetadata,
    recordedAt,
    prevHash,
    hash,
    position: encodeEsdbPosition(stored.position as EsdbPosition),
  };
}

function metadataProblem(metadata: Record<string, unknown>): string | null {
  for (const key of ['actor', 'source', 'correlationId', 'occurredAt'] as const) {
    if (typeof metadata[key] !== 'string') return `metadata.${key} is not a string`;
  }
  if (metadata.causationId !== null && typeof metadata.causationId !== 'string') {
    return 'metadata.causationId is neither a string nor null';
  }
  if (typeof metadata.schemaVersion !== 'number') return 'metadata.schemaVersion is not a number';
  return null;
}

function textProblem(text: string, where: string): string | null {
  if (text.includes('\u0000')) return `${where} contains a NUL (U+0000) character`;
  if (LONE_SURROGATE.test(text)) return `${where} contains a lone UTF-16 surrogate`;
  return null;
}

function jsonProblem(value: unknown, where: string): string | null {
  if (typeof value === 'string') return textProblem(value, where);
  if (typeof value !== 'object' || value === null) return null;
  const entries = Array.isArray(value)
    ? value.map((item, i) => [`[${i}]`, item] as const)
    : Object.entries(value).map(([key, item]) => [`.${key}`, item] as const);
  for (const [path, item] of entries) {
    const problem =
      (Array.isArray(value) ? null : textProblem(path.slice(1), `${where} key`)) ??
      jsonProblem(item, `${where}${path}`);
    if (problem) return problem;
  }
  return null;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
