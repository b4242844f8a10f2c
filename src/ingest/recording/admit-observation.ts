import { MalformedMessage, type Observation } from '../observation';
import type { IngestItem } from './ingest-item';

/** The instants of an observation a sender could push into the future, by field. */
function instants(observation: Observation): Array<[string, string | undefined]> {
  const reported: Array<[string, string | undefined]> = [['occurredAt', observation.occurredAt]];
  if (observation.kind === 'alert') {
    reported.push(['startsAt', observation.startsAt], ['endsAt', observation.endsAt]);
  }
  return reported;
}

/**
 * An ingested item as the ledger takes it: its source id scoped to its sender, so two senders
 * using the same id never collide (nor can one pre-empt the other's events), and refused when
 * it claims to have happened further ahead of the ledger's clock than `maxFutureSkewSeconds`.
 */
export function admitObservation(item: IngestItem, maxFutureSkewSeconds: number): IngestItem {
  const { observation, origin } = item;
  const latest = Date.parse(origin.receivedAt) + maxFutureSkewSeconds * 1000;
  for (const [field, instant] of instants(observation)) {
    if (instant !== undefined && Date.parse(instant) > latest) {
      throw new MalformedMessage(
        `${instant} is more than ${maxFutureSkewSeconds} s ahead of the ledger's clock ` +
          `(received at ${origin.receivedAt})`,
        field,
      );
    }
  }
  const sourceId = JSON.stringify([origin.sender, observation.sourceId]);
  return { observation: { ...observation, sourceId }, origin };
}
