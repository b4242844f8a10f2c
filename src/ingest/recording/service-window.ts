import type { DeploymentObservedData } from '../../deployments/domain/service-events';

/** How far back a service's stream is looked at to know what ran where. */
export const HISTORY_EVENTS = 500;

/** An event of a service's stream, as far as the window needs it. */
export interface WindowEvent {
  readonly eventId: string;
  readonly revision: number;
  readonly type: string;
  readonly data: object;
}

interface Entry {
  readonly revision: number;
  readonly eventId: string;
  /** The deploy, when the event is a DeploymentObserved. */
  readonly deploy?: DeploymentObservedData;
  /** The digest of the observation the event marks as recorded, when it marks one. */
  readonly digest?: string;
}

function digestIn(data: object): string | undefined {
  const { digest } = data as { digest?: unknown };
  return typeof digest === 'string' ? digest : undefined;
}

/**
 * The last HISTORY_EVENTS revisions of a service's stream, reduced to what deciding about the
 * next observation needs: which events are there (is it recorded already?) and the deploys
 * among them (what ran where). Immutable: a plan extends a copy, the cache keeps what was
 * stored.
 */
export class ServiceWindow {
  static readonly EMPTY = new ServiceWindow(-1, []);

  private constructor(
    /** Last revision of the stream; -1 when it does not exist. */
    readonly head: number,
    private readonly entries: readonly Entry[],
  ) {}

  /** The window after these events, which follow the head in revision order. */
  plus(events: readonly WindowEvent[]): ServiceWindow {
    if (events.length === 0) return this;
    const head = events[events.length - 1].revision;
    const added = events.map(({ revision, eventId, type, data }): Entry => ({
      revision,
      eventId,
      digest: digestIn(data),
      deploy: type === 'DeploymentObserved' ? (data as DeploymentObservedData) : undefined,
    }));
    const kept = [...this.entries, ...added].filter((e) => e.revision > head - HISTORY_EVENTS);
    return new ServiceWindow(head, kept);
  }

  /** Whether the window reaches back to the stream's first event. */
  get wholeStream(): boolean {
    return this.head < HISTORY_EVENTS;
  }

  has(eventId: string): boolean {
    return this.entries.some((e) => e.eventId === eventId);
  }

  /** The digest recorded with an event of the window, if it has one. */
  digestOf(eventId: string): string | undefined {
    return this.entries.find((e) => e.eventId === eventId)?.digest;
  }

  /** The deploys observed in the window, oldest first. */
  deploys(): DeploymentObservedData[] {
    return this.entries.flatMap((e) => (e.deploy ? [e.deploy] : []));
  }

  /** What the window holds, for a memory bound. */
  get weight(): number {
    return 1 + this.entries.length;
  }
}
