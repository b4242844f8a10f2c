import { ExecuteChangeCommand, type ChangeCommands } from '../../changes/execute-change-command';
import { loadChange } from '../../changes/load-change';
import type { ChangeIntent } from '../../changes/domain/commands';
import { DomainError } from '../../kernel/domain-error';
import {
  deploymentHistory,
  returnsToEarlierVersion,
} from '../../deployments/domain/deployment-history';
import type { DeploymentObservedData, ServiceEvent } from '../../deployments/domain/service-events';
import { deterministicEventId } from '../../ledger/deterministic-event-id';
import type { EventStore } from '../../ledger/event-store';
import type { ProposedEvent } from '../../ledger/ledger-event';
import type { DeploymentObservation } from '../observation';
import type { ChangeCandidates } from './change-candidates';
import { ChangeMatcher, type ChangeMatch } from './change-matcher';
import { changeCommandsForDeploy, ingestActor } from './change-commands-for-deploy';
import type { IngestOrigin } from './ingest-item';
import { proposeIngested } from './ingested-events';
import { observationDigest } from './observation-digest';
import type { ServiceWindow } from './service-window';

/** Statuses in which any deploy of the change is one nobody approved. */
const NOT_DEPLOYABLE = new Set(['awaiting-approval', 'deferred', 'rejected', 'cancelled']);

interface Finding {
  readonly reason: string;
  readonly detail: string;
}

/** What deciding about a deploy needs besides the deploy itself. */
export interface DeployContext {
  /** The service stream's recent history, including what this batch plans before the deploy. */
  readonly window: ServiceWindow;
  readonly candidates: ChangeCandidates;
  readonly origin: IngestOrigin;
}

/** The id of the event that, once stored, says the deploy is fully recorded. */
export function observedEventId(deploy: DeploymentObservation): string {
  return deterministicEventId(deploy.sourceId, 'DeploymentObserved');
}

/**
 * Decides what one reported deploy records: on its change's stream through the decider (when
 * it matches one, done here and now), and always on the service's stream, with a finding when
 * nothing approved it. The service-stream events are returned for the caller to write last,
 * so finding them means the deploy is fully recorded.
 */
export class DeploymentRecorder {
  private readonly matcher: ChangeMatcher;

  constructor(
    private readonly store: EventStore,
    private readonly changes: ChangeCommands,
  ) {
    this.matcher = new ChangeMatcher(store);
  }

  /** The service-stream events to append for a deploy not recorded yet. */
  async serviceEvents(
    deploy: DeploymentObservation,
    context: DeployContext,
  ): Promise<ProposedEvent[]> {
    const { window, origin } = context;
    const history = deploymentHistory(window.deploys(), deploy.environment);
    const rollback =
      deploy.phase === 'succeeded' ? returnsToEarlierVersion(history, deploy.version) : null;
    const phase = rollback ? 'rolledback' : deploy.phase;
    const match = await this.matcher.match(
      deploy,
      history,
      phase === 'rolledback',
      context.candidates,
    );
    const finding = match
      ? await this.applyToChange(deploy, phase, match, rollback?.toVersion ?? null, origin)
      : this.unmatched(deploy, phase);

    const at = deploy.occurredAt;
    const events: ServiceEvent[] = [
      {
        type: 'DeploymentObserved',
        data: {
          service: deploy.service,
          environment: deploy.environment,
          phase,
          version: deploy.version,
          commit: deploy.commit,
          deploymentId: deploy.deploymentId,
          stage: deploy.stage,
          percent: deploy.percent,
          reportedBy: deploy.reportedBy,
          url: deploy.url,
          format: deploy.format,
          changeId: match?.changeId ?? null,
          matchedBy: match?.matchedBy ?? null,
          at,
          digest: observationDigest(deploy),
        },
      },
    ];
    if (rollback) {
      events.push({
        type: 'RollbackDetected',
        data: { service: deploy.service, environment: deploy.environment, ...rollback, at },
      });
    }
    if (finding) {
      events.push({
        type: 'UnplannedDeploymentDetected',
        data: {
          service: deploy.service,
          environment: deploy.environment,
          version: deploy.version,
          commit: deploy.commit,
          deploymentId: deploy.deploymentId,
          ...finding,
          changeId: match?.changeId ?? null,
          at,
        },
      });
    }
    return proposeIngested(deploy.sourceId, events, at, origin);
  }

  /** Only a deploy that changes what runs can be unplanned; a failure or removal is not. */
  private unmatched(deploy: DeploymentObservation, phase: string): Finding | null {
    if (!['started', 'stage', 'succeeded'].includes(phase)) return null;
    return deploy.changeId === undefined
      ? { reason: 'no-matching-change', detail: 'no approved change matches this deploy' }
      : {
          reason: 'unknown-change',
          detail: `the deploy names change ${deploy.changeId}, which does not exist`,
        };
  }

  private async applyToChange(
    deploy: DeploymentObservation,
    phase: DeploymentObservedData['phase'],
    match: ChangeMatch,
    rolledBackTo: string | null,
    origin: IngestOrigin,
  ): Promise<Finding | null> {
    const { state } = await loadChange(this.store, match.changeId);
    const commands = changeCommandsForDeploy(deploy, phase, state, rolledBackTo);
    try {
      for (const [index, body] of commands.entries()) {
        const command = {
          ...body,
          changeId: match.changeId,
          actor: ingestActor(origin),
          // What the sender reports, and when the ledger heard of it: window rules check both.
          at: deploy.occurredAt,
          receivedAt: origin.receivedAt,
        } as ChangeIntent;
        await this.changes.execute(
          new ExecuteChangeCommand(command, {
            source: origin.source,
            correlationId: origin.correlationId,
            idempotencyKey: `${deploy.sourceId}/${index}`,
          }),
        );
      }
      return null;
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      // Reported twice, or already further along: the change's record is already right.
      if (error.kind === 'conflict' && !NOT_DEPLOYABLE.has(state.status)) return null;
      return {
        reason: error.kind === 'rule' ? error.code : `change-${state.status}`,
        detail: error.message,
      };
    }
  }
}
