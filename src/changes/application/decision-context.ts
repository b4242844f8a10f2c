import { Inject, Injectable } from '@nestjs/common';
import { FreezeCalendarReader } from '../../freezes/freeze-calendar.reader';
import { restrictedPeriods } from '../../freezes/domain/freeze-calendar';
import { POLICY_IN_FORCE } from '../../policy/policy-in-force.token';
import type { PolicyInForce } from '../../policy/policy-in-force';
import { NO_FACTS } from '../../policy/risk/change-facts';
import type { OverlappingChange } from '../../policy/conflicts/change-conflicts';
import { amendedRequest } from '../domain/amendment';
import type { ChangeRequest } from '../domain/change-request';
import type { ChangeState } from '../domain/change-state';
import type { TimeWindow } from '../domain/change-window';
import type { ChangeCommand, ChangeIntent } from '../domain/commands';
import { CHANGE_FACTS, type ChangeFactsSource } from '../../policy/risk/change-facts';
import { OverlappingChangesReader } from './overlapping-changes.reader';

/** For an amendment of a change that does not exist: the decider refuses it before asking. */
const NOTHING_KNOWN = {
  facts: NO_FACTS,
  freezes: [],
  overlapping: [],
};

/**
 * Completes a command as a caller states it with what the decider needs besides the change's
 * own stream: the policy in force, and for the commands whose rules ask for them, the facts
 * about the services, the freezes, and the changes whose windows overlap.
 */
@Injectable()
export class DecisionContext {
  constructor(
    @Inject(POLICY_IN_FORCE) private readonly policy: PolicyInForce,
    @Inject(CHANGE_FACTS) private readonly facts: ChangeFactsSource,
    private readonly freezes: FreezeCalendarReader,
    private readonly overlaps: OverlappingChangesReader,
  ) {}

  async complete(intent: ChangeIntent, state: ChangeState): Promise<ChangeCommand> {
    const policy = this.policy;
    switch (intent.kind) {
      case 'RequestChange':
        return {
          ...intent,
          policy,
          ...(await this.aboutRequest(intent.changeId, intent.request, intent.at)),
        };
      case 'AmendChange': {
        const context =
          state.status === 'none'
            ? NOTHING_KNOWN
            : await this.aboutRequest(
                intent.changeId,
                amendedRequest(state.request, intent.amendment),
                intent.at,
              );
        return { ...intent, policy, ...context };
      }
      case 'ScheduleChange': {
        const overlapping =
          state.status === 'none'
            ? []
            : await this.overlapping(intent.changeId, state.request, intent.window);
        return { ...intent, policy, freezes: await this.currentFreezes(), overlapping };
      }
      case 'StartDeployment':
      case 'MarkDeployed':
        return { ...intent, policy, freezes: await this.currentFreezes() };
      default:
        return { ...intent, policy };
    }
  }

  private async aboutRequest(changeId: string, request: ChangeRequest, at: string) {
    const [facts, freezes, overlapping] = await Promise.all([
      this.facts.factsFor(this.policy.document, request.services, request.environment, at),
      this.currentFreezes(),
      request.plannedWindow === undefined
        ? Promise.resolve([])
        : this.overlapping(changeId, request, request.plannedWindow),
    ]);
    return { facts, freezes, overlapping };
  }

  private overlapping(
    changeId: string,
    request: ChangeRequest,
    window: TimeWindow,
  ): Promise<OverlappingChange[]> {
    return this.overlaps.overlapping(changeId, request.services, request.environment, window);
  }

  private async currentFreezes() {
    return restrictedPeriods(await this.freezes.current());
  }
}
