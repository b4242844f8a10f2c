import { repositoryStreamId, serviceStreamId } from '../../deployments/domain/service-events';
import { deterministicEventId } from '../../ledger/deterministic-event-id';
import type { ProposedEvent } from '../../ledger/ledger-event';
import { MalformedMessage, type ChangeMergedObservation } from '../observation';
import type { IngestOrigin } from './ingest-item';
import { proposeIngested } from './ingested-events';
import { observationDigest } from './observation-digest';

/** A merge is kept on its service's stream, else on its repository's. */
export function mergeStreamId(merged: ChangeMergedObservation): string {
  if (merged.service !== undefined) return serviceStreamId(merged.service);
  if (merged.repository !== undefined) return repositoryStreamId(merged.repository);
  throw new MalformedMessage('a merged change needs a service or a repository', 'service');
}

/** The id mergeEvents gives the merge's one event: finding it stored, the merge is recorded. */
export function mergedEventId(merged: ChangeMergedObservation): string {
  return deterministicEventId(merged.sourceId, 'ChangeMerged');
}

export function mergeEvents(
  merged: ChangeMergedObservation,
  origin: IngestOrigin,
): ProposedEvent[] {
  const { repository, service, commit, pullRequest, changeId, reportedBy, format } = merged;
  const data = { repository, service, commit, pullRequest, changeId, reportedBy, format };
  const at = merged.occurredAt;
  const digest = observationDigest(merged);
  return proposeIngested(
    merged.sourceId,
    [{ type: 'ChangeMerged', data: { ...data, at, digest } }],
    at,
    origin,
  );
}
