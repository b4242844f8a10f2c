import { Controller, Get, Inject, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  type HealthCheckResult,
  type HealthIndicatorFunction,
} from '@nestjs/terminus';
import { Public } from '../auth/access.decorators';
import { TIMED_OUT, withTimeout } from '../common/with-timeout';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { KafkaHealthIndicator } from '../ingest/kafka/kafka-health.indicator';
import { EVENT_STORE, type EventStore } from '../ledger/event-store';
import { SQL_CLIENT, type SqlClient } from '../sql/sql-client';

/** A dependency that does not answer within this long counts as down. */
const CHECK_TIMEOUT_MS = 2000;

@ApiTags('operations')
@Controller('health')
@Public()
export class HealthController {
  private readonly checks: HealthIndicatorFunction[];

  constructor(
    private readonly health: HealthCheckService,
    private readonly indicator: HealthIndicatorService,
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(SQL_CLIENT) sql: SqlClient,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly kafka: KafkaHealthIndicator,
  ) {
    this.checks = [
      () => this.isUp('eventStore', { store: store.name }, () => store.ping()),
      // On EventStoreDB the read models live in a database of their own.
      ...(config.eventStore === 'eventstoredb'
        ? [() => this.isUp('readModels', {}, () => sql.query('SELECT 1'))]
        : []),
      () => this.kafka.isHealthy(),
    ];
  }

  @Get()
  @HealthCheck()
  @ApiOperation({
    summary:
      'Readiness: the event store (and the read-model database) answers, and Kafka when it is configured',
  })
  @ApiServiceUnavailableResponse({
    description: 'Not ready: the same body, naming the dependency that is down and why',
  })
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthCheckResult> {
    try {
      return await this.health.check(this.checks);
    } catch (error) {
      // Not ready is an answer, not an error: the body says which dependency is down.
      if (!(error instanceof ServiceUnavailableException)) throw error;
      void reply.status(503);
      return error.getResponse() as HealthCheckResult;
    }
  }

  @Get('live')
  @HealthCheck()
  @ApiOperation({ summary: 'Liveness: the process answers' })
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  private async isUp(key: string, details: Record<string, string>, ping: () => Promise<unknown>) {
    const check = this.indicator.check(key);
    try {
      const answered = await withTimeout(ping(), CHECK_TIMEOUT_MS);
      if (answered === TIMED_OUT) {
        return check.down({ ...details, message: `no answer within ${CHECK_TIMEOUT_MS} ms` });
      }
      return check.up(details);
    } catch (error) {
      return check.down({ ...details, message: (error as Error).message });
    }
  }
}
