import { hostname } from 'node:os';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { SYSTEM_PRINCIPAL } from '../../auth/system-principal';
import { Clock } from '../../common/clock';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { decideAndAppend } from '../../ledger/decide-and-append';
import { deterministicEventId } from '../../ledger/deterministic-event-id';
import { EVENT_STORE, type EventStore } from '../../ledger/event-store';
import { metadataFor, proposeEvent } from '../../ledger/propose-event';
import { Metrics } from '../../observability/metrics';
import type { PolicyInForce } from '../policy-in-force';
import { DEFAULT_POLICY_FILE } from '../policy-file/policy-file';
import { POLICY_IN_FORCE } from '../policy-in-force.token';
import { POLICY_LOADED, POLICY_STREAM, type PolicyLoadedData } from '../policy-stream';

/**
 * Records on the `policy` stream that this instance runs a policy version the stream does not
 * end with: who (which host), which version, from which file, when. Several instances starting
 * together record it once; instances running different versions record each switch.
 */
@Injectable()
export class PolicyRecorder implements OnApplicationBootstrap {
  private readonly logger = new Logger('policy');

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(POLICY_IN_FORCE) private readonly policy: PolicyInForce,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly metrics: Metrics,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { version, document } = this.policy;
    const recorded = await decideAndAppend(
      this.store,
      POLICY_STREAM,
      (events, revision) => {
        const last = events.at(-1)?.data as Partial<PolicyLoadedData> | undefined;
        if (last?.version === version) return Promise.resolve({ answer: false });
        const at = this.clock.now().toISOString();
        const data: PolicyLoadedData = {
          version,
          name: document.name,
          source: this.config.policyFile ?? DEFAULT_POLICY_FILE,
          document,
          host: hostname(),
          at,
        };
        // The same switch decided by two instances at once is one event.
        const eventId = deterministicEventId(`${POLICY_STREAM}:${revision}`, version);
        return Promise.resolve({
          append: [
            proposeEvent(
              eventId,
              POLICY_LOADED,
              data,
              metadataFor(SYSTEM_PRINCIPAL.id, at, { source: 'start-up', correlationId: eventId }),
            ),
          ],
          answer: () => true,
        });
      },
      { maxAttempts: 5, onConflict: () => this.metrics.appendConflicts.inc() },
    );
    this.logger.log(`${recorded ? 'recorded' : 'in force'}: policy ${document.name} ${version}`);
  }
}
