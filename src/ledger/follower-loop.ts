import { setTimeout as sleep } from 'node:timers/promises';
import { backoffDelay, type Backoff } from '../common/backoff';

/**
 * One turn of a follower: read the feed from its checkpoint, do its work, move the checkpoint.
 * Resolves to how long to wait before the next turn (0: at once, there is more to do).
 */
export type FollowerTurn = (signal: AbortSignal) => Promise<number>;

export interface FollowerLoopOptions {
  readonly backoff: Backoff;
  /** A turn failed; the next one comes after `retryInMs`. `attempt` counts from 1. */
  readonly onFailure: (error: unknown, attempt: number, retryInMs: number) => void;
  /** A turn succeeded after `attempts` failed ones, the first of them `failingForMs` ago. */
  readonly onRecovery: (attempts: number, failingForMs: number) => void;
}

export interface FollowerHealth {
  readonly running: boolean;
  /** When the current run of failed turns began; null while turns succeed. */
  readonly failingSince: Date | null;
  readonly lastError: string | null;
}

/**
 * Runs a follower of the ledger's global feed (a read model, the outbox, the checkpointer)
 * until it is stopped, and keeps it running through outages: a failed turn — the database or
 * the brokers unreachable, a connection cut mid-transaction — is reported and retried with
 * exponential back-off, from the follower's stored checkpoint, for as long as it takes. A
 * follower keeps nothing on a connection between turns (its locks and leases are taken anew in
 * each turn), so after an outage the next successful turn is a complete recovery.
 */
export class FollowerLoop {
  private stopping = new AbortController();
  private loop: Promise<void> | null = null;
  private failingSince: Date | null = null;
  private lastError: string | null = null;

  constructor(
    private readonly turn: FollowerTurn,
    private readonly options: FollowerLoopOptions,
  ) {}

  get running(): boolean {
    return this.loop !== null;
  }

  start(): void {
    if (this.loop !== null) return;
    this.stopping = new AbortController();
    this.loop = this.run(this.stopping.signal);
  }

  /** Resolves once the turn in flight has finished (its outcome does not matter any more). */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.loop;
    this.loop = null;
  }

  health(): FollowerHealth {
    return { running: this.running, failingSince: this.failingSince, lastError: this.lastError };
  }

  private async run(signal: AbortSignal): Promise<void> {
    let failures = 0;
    while (!signal.aborted) {
      let waitMs: number;
      try {
        waitMs = await this.turn(signal);
        if (failures > 0) {
          this.options.onRecovery(failures, Date.now() - (this.failingSince?.getTime() ?? 0));
        }
        failures = 0;
        this.failingSince = null;
        this.lastError = null;
      } catch (error) {
        if (signal.aborted) return;
        waitMs = backoffDelay(failures++, this.options.backoff);
        this.failingSince ??= new Date();
        this.lastError = error instanceof Error ? error.message : String(error);
        this.options.onFailure(error, failures, waitMs);
      }
      if (waitMs > 0) await sleep(waitMs, undefined, { signal }).catch(() => undefined);
    }
  }
}
