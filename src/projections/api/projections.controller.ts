import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { RequireRoles } from '../../auth/access.decorators';
import { ApiProblems } from '../../http/api-problems.decorator';
import { ProjectionRegistry } from '../projection-registry';
import { ProjectionStatusDto, RebuildStartedDto } from './projection-status.dto';

@ApiTags('operations')
@ApiBearerAuth()
@ApiProblems()
@Controller('admin/projections')
export class ProjectionsController {
  constructor(private readonly projections: ProjectionRegistry) {}

  @Get()
  @RequireRoles('auditor')
  @ApiOperation({
    summary: 'Each read model: checkpoint, events applied, lag, rebuild in progress',
  })
  @ApiOkResponse({ type: [ProjectionStatusDto] })
  status() {
    return this.projections.status();
  }

  @Post(':name/rebuild')
  @HttpCode(202)
  @RequireRoles('admin')
  @ApiOperation({
    summary: 'Rebuild a read model from the first ledger event',
    description:
      'Runs in the background into shadow tables; reads keep being served until the swap.',
  })
  @ApiAcceptedResponse({ type: RebuildStartedDto })
  rebuild(@Param('name') name: string) {
    return this.projections.rebuild(name);
  }
}
