import { Body, Controller, Get, Inject, Param, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentPrincipal, RequireRoles } from '../../auth/access.decorators';
import type { Principal } from '../../kernel/principal';
import type { CommandOrigin } from '../../kernel/command-origin';
import { Clock } from '../../common/clock';
import { ApiProblems } from '../../http/api-problems.decorator';
import { ApiOrigin } from '../../http/command-origin.decorator';
import { ReadModel } from '../../projections/read-model.decorator';
import { IncidentQueries } from '../application/incident-queries';
import { RecordAlertCauseCommand } from '../application/record-alert-cause';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { INCIDENT_CORRELATION } from '../read-model/incident-correlation.projection';
import {
  AlertCauseResultDto,
  AlertDto,
  AlertListDto,
  AlertListQuery,
  RecordAlertCauseDto,
  WhatChangedDto,
  WhatChangedQuery,
} from './dto/incident.dto';

const ALERT_PARAM = {
  name: 'id',
  description: "The alert's stream id (alert-<uuid>) or its id at the source (URL-encoded)",
};

/** Incident responders ask what changed; any key may read, deciders may name a cause. */
@ApiTags('incidents')
@ApiBearerAuth()
@ApiProblems()
@Controller()
export class IncidentsController {
  constructor(
    private readonly queries: IncidentQueries,
    private readonly commands: CommandBus,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('incidents/what-changed')
  @ReadModel(INCIDENT_CORRELATION)
  @ApiOperation({
    summary: 'What changed on a service, or on anything it depends on, before a moment',
    description:
      'Deployments that started, completed or were rolled back in the window before `at`, on ' +
      'the service or its upstream dependencies (any depth up to 10), most suspect first, each ' +
      'with its reasons and the factors of its score. Unplanned deploys are suspects too.',
  })
  @ApiOkResponse({ type: WhatChangedDto })
  whatChanged(@Query() query: WhatChangedQuery) {
    const at = query.at === undefined ? this.clock.now().getTime() : Date.parse(query.at);
    const windowHours = query.windowHours ?? this.config.whatChangedWindowHours;
    return this.queries.whatChanged(
      { service: query.service.trim().toLowerCase(), at, windowHours },
      query.environment ?? null,
      query.limit,
    );
  }

  @Get('alerts')
  @ReadModel(INCIDENT_CORRELATION)
  @ApiOperation({ summary: 'The latest alerts, newest first, on a service or in a status' })
  @ApiOkResponse({ type: AlertListDto })
  alerts(@Query() query: AlertListQuery) {
    return this.queries.alerts({
      service: query.service?.trim().toLowerCase(),
      status: query.status,
      limit: query.limit,
    });
  }

  @Get('alerts/:id')
  @ReadModel(INCIDENT_CORRELATION)
  @ApiParam(ALERT_PARAM)
  @ApiOperation({
    summary: 'An alert with its suspects, stored when it fired (a named cause first)',
  })
  @ApiOkResponse({ type: AlertDto })
  alert(@Param('id') id: string) {
    return this.queries.alert(id);
  }

  @Post('alerts/:id/cause')
  @RequireRoles('deployer', 'approver', 'cab')
  @ApiParam(ALERT_PARAM)
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiOperation({
    summary: 'Record what caused an alert: a change, or null for none',
    description:
      'Recorded in the ledger on the alert stream (AlertCauseRecorded, with who and when); it ' +
      'overrides the heuristic for this alert and in delivery metrics. The latest one counts.',
  })
  @ApiCreatedResponse({ type: AlertCauseResultDto })
  recordCause(
    @Param('id') id: string,
    @Body() body: RecordAlertCauseDto,
    @CurrentPrincipal() actor: Principal,
    @ApiOrigin() origin: CommandOrigin,
  ) {
    const at = this.clock.now().toISOString();
    return this.commands.execute(
      new RecordAlertCauseCommand(
        id,
        { changeId: body.changeId, note: body.note, actor, at },
        origin,
      ),
    );
  }
}
