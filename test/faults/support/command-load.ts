import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ApiResponse, CallOptions } from '../../support/running-app';
import { KEYS } from '../../support/running-app';

type Call = (method: string, path: string, options: CallOptions) => Promise<ApiResponse>;

const hoursFromNow = (hours: number) => new Date(Date.now() + hours * 3_600_000).toISOString();

/** A normal change of one service, planned from an hour ago to four hours from now. */
export function changeRequest(service: string) {
  return {
    title: `Roll ${service} to the next build`,
    description: 'Taken while the store is being restarted',
    type: 'normal',
    category: 'application',
    services: [service],
    environment: 'production',
    justification: 'fault test',
    implementationSteps: ['deploy'],
    rollbackPlan: { trigger: 'errors', steps: ['redeploy previous'], expectedMinutes: 5 },
    testPlan: 'smoke',
    plannedWindow: { start: hoursFromNow(-1), end: hoursFromNow(4) },
    blastRadius: 'low',
    hasDatabaseMigration: false,
  };
}

/**
 * API clients taking commands while a test breaks things: each requests a change and has it
 * approved, retrying each command with its Idempotency-Key while the service answers 503 or
 * not at all, as docs/operations.md tells clients to. Every command is retried until acknowledged, so
 * afterwards the ledger must hold exactly the acknowledged changes, each approved once.
 */
export class CommandLoad {
  /** Changes whose request and approval were both acknowledged. */
  readonly approved = new Set<string>();
  /** Answers other than success, 503 or no answer: none may occur. */
  readonly unexpected: Array<{ path: string; status: number; body: unknown }> = [];
  /** Attempts that met the outage (503 or no answer) and were retried. */
  retried = 0;
  private running = false;
  private abandoned = false;
  private clients: Array<Promise<void>> = [];

  constructor(
    private readonly call: Call,
    private readonly service: string,
  ) {}

  start(clients = 3): void {
    this.running = true;
    this.clients = Array.from({ length: clients }, () => this.client());
  }

  /** Lets every client finish the change in hand (retrying until acknowledged), then stops. */
  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.clients);
  }

  /** Stops at once, acknowledged or not (a test that already failed, cleaning up). */
  async abandon(): Promise<void> {
    this.abandoned = true;
    await this.stop();
  }

  private async client(): Promise<void> {
    while (this.running) {
      const requested = await this.until201Or200(
        '/changes',
        KEYS.alice,
        changeRequest(this.service),
      );
      const changeId = (requested as { changeId?: string } | null)?.changeId;
      if (!changeId) continue;
      const approved = await this.until201Or200(`/changes/${changeId}/approvals`, KEYS.bob, {});
      if (approved !== null) this.approved.add(changeId);
    }
  }

  /** The acknowledged body; null when the service refused it for a reason no retry changes. */
  private async until201Or200(path: string, key: string, body: unknown): Promise<unknown> {
    const headers = { 'idempotency-key': randomUUID() };
    const deadline = Date.now() + 90_000;
    while (Date.now() < deadline && !this.abandoned) {
      const response = await this.call('POST', path, { key, body, headers }).catch(() => null);
      if (response !== null && (response.status === 200 || response.status === 201)) {
        return response.body;
      }
      if (response !== null && response.status !== 503) {
        this.unexpected.push({ path, status: response.status, body: response.body });
        return null;
      }
      this.retried++;
      await sleep(100);
    }
    if (!this.abandoned) {
      this.unexpected.push({ path, status: 0, body: 'not acknowledged within 90 s' });
    }
    return null;
  }
}
