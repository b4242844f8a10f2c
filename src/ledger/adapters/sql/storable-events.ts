import { LONE_SURROGATE } from '../../../common/input-limits';
import type { ProposedEvent } from '../../ledger-event';
import { UnstorableEvent } from '../../ledger-errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * (stream_id, revision) is a B-tree key, whose entries PostgreSQL caps at about 2,700 bytes:
 * 500 characters stay under it whatever their UTF-8 width.
 */
export const MAX_STREAM_ID_LENGTH = 500;

export function isUuid(text: string): boolean {
  return UUID.test(text);
}

/**
 * Refuses up front what PostgreSQL cannot store as given, so nothing fails half-way and
 * nothing is stored in a form its hash does not cover. The database keeps UUIDs in
 * lowercase, so the hash must cover the lowercase form; a batch naming one eventId twice
 * could never be stored.
 */
export function checkStorable(streamId: string, events: readonly ProposedEvent[]): ProposedEvent[] {
  const streamProblem =
    streamId.length > MAX_STREAM_ID_LENGTH
      ? `is longer than ${MAX_STREAM_ID_LENGTH} characters`
      : textProblem(streamId);
  const seen = new Set<string>();
  return events.map((event) => {
    if (!isUuid(event.eventId)) throw new UnstorableEvent(event.eventId, 'eventId is not a UUID');
    const eventId = event.eventId.toLowerCase();
    if (seen.has(eventId)) throw new UnstorableEvent(eventId, 'eventId appears twice in the batch');
    seen.add(eventId);
    if (streamProblem) throw new UnstorableEvent(eventId, `streamId ${streamProblem}`);
    const problem =
      textProblem(event.type, 'type') ??
      jsonProblem(event.data, 'data') ??
      jsonProblem(event.metadata, 'metadata');
    if (problem) throw new UnstorableEvent(eventId, problem);
    return eventId === event.eventId ? event : { ...event, eventId };
  });
}

/**
 * PostgreSQL text and jsonb refuse U+0000; text silently turns a lone UTF-16 surrogate into
 * U+FFFD (the stored row would no longer match its hash) and jsonb refuses it.
 */
function textProblem(text: string, where?: string): string | null {
  const prefix = where ? `${where} ` : '';
  if (text.includes('\u0000')) return `${prefix}contains a NUL (U+0000) character`;
  if (LONE_SURROGATE.test(text)) return `${prefix}contains a lone UTF-16 surrogate`;
  return null;
}

/**
 * JSON.stringify writes both a NUL and a lone surrogate as a \u escape, and leaves every
 * other character of a well-formed string as it is, bar the few control characters: JSON text
 * without a \u escape has neither. Saves walking every value of every event in a bulk append.
 */
function jsonProblem(value: unknown, where: string): string | null {
  const text = JSON.stringify(value) as string | undefined;
  return text === undefined || text.includes('\\u') ? walkProblem(value, where) : null;
}

function walkProblem(value: unknown, where: string): string | null {
  if (typeof value === 'string') return textProblem(value, where);
  if (typeof value !== 'object' || value === null) return null;
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const problem = walkProblem(item, `${where}[${i}]`);
      if (problem) return problem;
    }
    return null;
  }
  for (const [key, item] of Object.entries(value)) {
    const problem = textProblem(key, `${where} key`) ?? walkProblem(item, `${where}.${key}`);
    if (problem) return problem;
  }
  return null;
}
