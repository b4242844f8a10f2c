import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '../../ledger/event-store';
import { POLICY_LOADED, POLICY_STREAM, type PolicyLoadedData } from '../policy-stream';

export interface PolicyLoad extends Omit<PolicyLoadedData, 'document'> {
  readonly revision: number;
  readonly position: string;
}

/** Which rules were in force when, from the `policy` stream. */
@Injectable()
export class PolicyQueries {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /** Every load of a new policy version, oldest first. */
  async history(): Promise<PolicyLoad[]> {
    const events = await this.loads();
    return events.map(({ data: { version, name, source, host, at }, revision, position }) => ({
      version,
      name,
      source,
      host,
      at,
      revision,
      position,
    }));
  }

  /** The document of a version as it was recorded when it was first loaded. */
  async version(version: string): Promise<PolicyLoadedData> {
    const load = (await this.loads()).find((event) => event.data.version === version);
    if (load === undefined) {
      throw new NotFoundException(`policy version ${version} was never in force here`);
    }
    return load.data;
  }

  /** Changes requested in [from, to), by their assessed risk level, with how they went. */

  private async loads() {
    const events = await this.store.readStream(POLICY_STREAM);
    return events
      .filter((event) => event.type === POLICY_LOADED)
      .map((event) => ({
        data: event.data as unknown as PolicyLoadedData,
        revision: event.revision,
        position: event.position,
      }));
  }
}
