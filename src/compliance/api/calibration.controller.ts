import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireRoles } from '../../auth/access.decorators';
import { ApiProblems } from '../../http/api-problems.decorator';
import { ReadModel } from '../../projections/read-model.decorator';
import { CalibrationQueries } from '../read-model/calibration-queries';
import { complianceProjection } from '../read-model/compliance.projection';
import { CalibrationQuery, CalibrationReportDto } from './calibration.dto';

/**
 * The policy's calibration report lives with the compliance records it is computed from; the
 * rules it calibrates are in src/policy/ (risk/, calibration/).
 */
@ApiTags('policy')
@ApiBearerAuth()
@ApiProblems()
@Controller('policy')
export class CalibrationController {
  constructor(private readonly queries: CalibrationQueries) {}

  @Get('calibration')
  @RequireRoles('auditor')
  @ReadModel(complianceProjection.name)
  @ApiOperation({
    summary: 'How each risk level fared: changes, deployments, failures (to tune the weights)',
    description:
      'Changes requested in [from, to), by assessed risk level: how many deployed, and how ' +
      'many of those failed (rolled back, closed as failed, or an alert is attributed to them).',
  })
  @ApiOkResponse({ type: CalibrationReportDto })
  calibration(@Query() query: CalibrationQuery) {
    return this.queries.calibration(query.from ?? null, query.to ?? null);
  }
}
