import { Module } from '@nestjs/common';
import { IncidentsController } from './api/incidents.controller';
import { IncidentQueries } from './application/incident-queries';
import { RecordAlertCauseHandler } from './application/record-alert-cause.handler';

/** Incident correlation: what changed before an alert, and what caused it. */
@Module({
  controllers: [IncidentsController],
  providers: [IncidentQueries, RecordAlertCauseHandler],
})
export class IncidentsModule {}
