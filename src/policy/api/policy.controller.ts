import { Controller, Get, Inject, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { ApiProblems } from '../../http/api-problems.decorator';
import { POLICY_IN_FORCE } from '../policy-in-force.token';
import { PolicyQueries } from '../application/policy-queries';
import type { PolicyInForce } from '../policy-in-force';
import { DEFAULT_POLICY_FILE } from '../policy-file/policy-file';
import { PolicyInForceDto, PolicyLoadDto, PolicyVersionParams } from './dto/policy.dto';

/** The rules in force, and which were in force when (calibration: src/compliance/api). */
@ApiTags('policy')
@ApiBearerAuth()
@ApiProblems()
@Controller('policy')
export class PolicyController {
  constructor(
    @Inject(POLICY_IN_FORCE) private readonly policy: PolicyInForce,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly queries: PolicyQueries,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The policy in force: its version and the whole document' })
  @ApiOkResponse({ type: PolicyInForceDto })
  inForce() {
    const { version, document } = this.policy;
    return {
      version,
      name: document.name,
      source: this.config.policyFile ?? DEFAULT_POLICY_FILE,
      document,
    };
  }

  @Get('versions')
  @ApiOperation({
    summary: 'Every policy version loaded, who loaded it and when (the policy stream)',
  })
  @ApiOkResponse({ type: [PolicyLoadDto] })
  versions() {
    return this.queries.history();
  }

  @Get('versions/:version')
  @ApiOperation({ summary: 'A policy version as it was recorded when it was loaded' })
  @ApiOkResponse({ type: PolicyInForceDto })
  version(@Param() { version }: PolicyVersionParams) {
    return this.queries.version(version);
  }
}
