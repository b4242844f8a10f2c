import { randomUUID } from 'node:crypto';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { SYSTEM_PRINCIPAL } from '../../auth/system-principal';
import { Clock } from '../../common/clock';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { SQL_CLIENT, type SqlClient } from '../../sql/sql-client';
import { DomainError } from '../../kernel/domain-error';
import { ExecuteChangeCommand } from '../execute-change-command';

/** Overdue changes recorded per sweep; the next sweep takes the rest. */
const SWEEP_LIMIT = 500;

/**
 * Records, through the decider, that approvals are overdue: every few seconds it looks in the
 * change catalog for changes still awaiting approval past their SLA. Several instances may
 * sweep at once; the idempotency key makes the record one event.
 */
@Injectable()
export class ApprovalSlaWatch implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('approval-sla');
  private timer: NodeJS.Timeout | null = null;
  private sweeping: Promise<number> | null = null;

  constructor(
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly commands: CommandBus,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    // A sweep the database's outage stopped is simply taken up again by the next one.
    const sweep = () =>
      this.sweep().catch((error: unknown) => this.logger.warn(`sweep failed: ${String(error)}`));
    this.timer = setInterval(() => void sweep(), this.config.approvalSlaCheckMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer);
    await this.sweeping;
  }

  /** Records every overdue approval found now; how many it recorded. */
  sweep(): Promise<number> {
    this.sweeping ??= this.recordOverdue().finally(() => (this.sweeping = null));
    return this.sweeping;
  }

  private async recordOverdue(): Promise<number> {
    const now = this.clock.now().toISOString();
    const due = await this.sql.query<{ change_id: string; due_by: Date }>(
      `SELECT change_id::text AS change_id, approval_due_by AS due_by FROM change_catalog
       WHERE NOT approval_overdue AND approval_due_by <= $1
         AND status IN ('awaiting-approval', 'deferred')
       ORDER BY approval_due_by LIMIT ${SWEEP_LIMIT}`,
      [now],
    );
    let recorded = 0;
    for (const { change_id: changeId, due_by: dueBy } of due) {
      const command = new ExecuteChangeCommand(
        {
          kind: 'RecordApprovalOverdue',
          changeId,
          actor: SYSTEM_PRINCIPAL,
          at: now,
          receivedAt: now,
        },
        {
          source: 'approval-sla',
          correlationId: randomUUID(),
          idempotencyKey: `approval-overdue:${changeId}:${dueBy.toISOString()}`,
        },
      );
      try {
        const result = await this.commands.execute(command);
        recorded += result.events.length > 0 ? 1 : 0;
      } catch (error) {
        // Approved or withdrawn since the read model saw it: nothing is overdue any more.
        if (!(error instanceof DomainError)) this.logger.error(`${changeId}: ${String(error)}`);
      }
    }
    return recorded;
  }
}
