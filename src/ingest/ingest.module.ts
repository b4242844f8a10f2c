import { Module } from '@nestjs/common';
import { Clock } from '../common/clock';
import { ChangesModule } from '../changes/changes.module';
import { OBSERVATION_RECORDER } from './recording/ingest-item';
import { IngestLedger } from './recording/ingest-ledger';
import { WebhooksController } from './webhooks/webhooks.controller';

/** Deploy events and alerts from CI/CD and monitoring, by webhook (and Kafka when configured). */
@Module({
  imports: [ChangesModule],
  controllers: [WebhooksController],
  providers: [{ provide: OBSERVATION_RECORDER, useClass: IngestLedger }, Clock],
  exports: [OBSERVATION_RECORDER],
})
export class IngestModule {}
