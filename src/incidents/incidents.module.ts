import { Module } from '@nestjs/common';
import { Clock } from '../common/clock';
import { IncidentsController } from './api/incidents.controller';
import { IncidentQueries } from './application/incident-queries';
import { RecordAlertCauseHandler } from './application/record-alert-cause.handler';
import { INCIDENT_SETTINGS, incidentSettings } from './incident-settings';

/** Incident correlation: what changed before an alert, and what caused it. */
@Module({
  controllers: [IncidentsController],
  providers: [
    IncidentQueries,
    RecordAlertCauseHandler,
    Clock,
    // Read at start-up: a bad WHAT_CHANGED_WINDOW_HOURS stops the service with its reason.
    { provide: INCIDENT_SETTINGS, useFactory: incidentSettings },
  ],
})
export class IncidentsModule {}
