import { inputProblems, textProblem } from '../../common/input-limits';
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
 * Names the ledger keys streams and read-model rows by (B-tree index entries, of at most about
 * 2,700 bytes): a few hundred characters at most.
 */
const IDENTIFIERS = [
  'service',
  'environment',
  'alertId',
  'incidentId',
  'changeId',
  'deploymentId',
  'version',
  'commit',
  'stage',
  'repository',
  'name',
  'severity',
  'pullRequest',
] as const;
const MAX_IDENTIFIER_LENGTH = 200;

/** What the observation holds that no store or read model could keep as given. */
function unstorable(observation: Observation): MalformedMessage | null {
  const fields = observation as unknown as Record<string, unknown>;
  for (const field of IDENTIFIERS) {
    const value = fields[field];
    const reason = typeof value === 'string' ? textProblem(value, MAX_IDENTIFIER_LENGTH) : null;
    if (reason) return new MalformedMessage(reason, field);
  }
  const [problem] = inputProblems(observation);
  return problem ? new MalformedMessage(problem.reason, problem.field) : null;
}

/**
 * An ingested item as the ledger takes it: its source id scoped to its sender, so two senders
 * using the same id never collide (nor can one pre-empt the other's events), and refused when
 * it claims to have happened further ahead of the ledger's clock than `maxFutureSkewSeconds`.
 */
export function admitObservation(item: IngestItem, maxFutureSkewSeconds: number): IngestItem {
  const { observation, origin } = item;
  const refusal = unstorable(observation);
  if (refusal) throw refusal;
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
