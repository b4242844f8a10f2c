import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  type HealthCheckResult,
} from '@nestjs/terminus';
import { Public } from '../auth/access.decorators';
import { KafkaHealthIndicator } from '../ingest/kafka/kafka-health.indicator';
import { EVENT_STORE, type EventStore } from '../ledger/event-store';

@ApiTags('operations')
@Controller('health')
@Public()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicator: HealthIndicatorService,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly kafka: KafkaHealthIndicator,
  ) {}

  @Get()
  @HealthCheck()
  @ApiOperation({ summary: 'Readiness: the event store answers, and Kafka when it is configured' })
  @ApiServiceUnavailableResponse({ description: 'A dependency is down' })
  ready(): Promise<HealthCheckResult> {
    return this.health.check([() => this.storeIsUp(), () => this.kafka.isHealthy()]);
  }

  @Get('live')
  @HealthCheck()
  @ApiOperation({ summary: 'Liveness: the process answers' })
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  private async storeIsUp() {
    const check = this.indicator.check('eventStore');
    try {
      await this.store.ping();
      return check.up({ store: this.store.name });
    } catch (error) {
      return check.down({ store: this.store.name, message: (error as Error).message });
    }
  }
}
