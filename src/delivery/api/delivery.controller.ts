import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Clock } from '../../common/clock';
import { ApiProblems } from '../../http/api-problems.decorator';
import { InvalidRequest } from '../../http/problem';
import { INCIDENT_CORRELATION } from '../../incidents/read-model/incident-correlation.projection';
import { ReadModel } from '../../projections/read-model.decorator';
import { serviceGraph } from '../../services/read-model/service-graph.projection';
import { DeliveryQueries } from '../application/delivery-queries';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { DeliveryMetricsDto, DeliveryMetricsQuery } from './dto/delivery.dto';

const DAY = 86_400_000;
/** A year of days at most: every answer stays bounded. */
const MAX_RANGE_DAYS = 366;
const DEFAULT_RANGE_DAYS = 28;

/** The four DORA keys, per service or team; any key may read them. */
@ApiTags('delivery')
@ApiBearerAuth()
@ApiProblems()
@Controller('delivery')
export class DeliveryController {
  constructor(
    private readonly queries: DeliveryQueries,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('metrics')
  @ReadModel(INCIDENT_CORRELATION, serviceGraph.name)
  @ApiOperation({
    summary: 'Deployment frequency, lead time, change failure rate, recovery time',
    description:
      'Per UTC day or ISO week, for one service, one team (the owner in the service catalog) ' +
      'or everything; docs/read-models.md (Delivery metrics) says exactly how each figure is computed.',
  })
  @ApiOkResponse({ type: DeliveryMetricsDto })
  metrics(@Query() query: DeliveryMetricsQuery) {
    const to = query.to === undefined ? this.clock.now().getTime() : Date.parse(query.to);
    const from = query.from === undefined ? to - DEFAULT_RANGE_DAYS * DAY : Date.parse(query.from);
    const problems = [
      ...(query.service !== undefined && query.team !== undefined
        ? [{ field: 'team', reason: 'ask for a service or a team, not both' }]
        : []),
      ...(from >= to ? [{ field: 'from', reason: 'must be before to' }] : []),
      ...(to - from > MAX_RANGE_DAYS * DAY
        ? [{ field: 'from', reason: `the range may span at most ${MAX_RANGE_DAYS} days` }]
        : []),
    ];
    if (problems.length > 0) throw new InvalidRequest(problems);
    return this.queries.metrics({
      service: query.service?.trim().toLowerCase(),
      team: query.team,
      environment: query.environment ?? this.config.deliveryEnvironment,
      from,
      to,
      bucket: query.bucket,
    });
  }
}
