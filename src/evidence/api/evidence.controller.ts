import { Controller, Get, Param, ParseUUIDPipe, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Readable } from 'node:stream';
import { RequireRoles } from '../../auth/access.decorators';
import { Clock } from '../../common/clock';
import {
  asOfInstant,
  ComplianceAsOfQuery,
  CompliancePeriodQuery,
  periodFilter,
} from '../../compliance/compliance.query';
import { ApiProblems } from '../../http/api-problems.decorator';
import { EvidenceBuilder } from '../evidence-builder';
import { EvidenceBundleDto } from './evidence.dto';

const BUNDLE_DESCRIPTION =
  'Check it offline: npx change-ledger verify-evidence <file> --key <verifier key> ' +
  '(docs/verification.md). Events not yet covered by the latest checkpoint come without a proof.';

/** Evidence an auditor keeps: events, proofs to a signed checkpoint, compliance records. */
@ApiTags('compliance')
@ApiBearerAuth()
@ApiProblems()
@RequireRoles('auditor')
@Controller()
export class EvidenceController {
  constructor(
    private readonly evidence: EvidenceBuilder,
    private readonly clock: Clock,
  ) {}

  @Get('changes/:id/evidence')
  @ApiOperation({ summary: "A change's evidence bundle", description: BUNDLE_DESCRIPTION })
  @ApiOkResponse({ type: EvidenceBundleDto })
  change(@Param('id', new ParseUUIDPipe()) id: string, @Query() query: ComplianceAsOfQuery) {
    return this.evidence.change(id, asOfInstant(query, this.clock.now()));
  }

  @Get('compliance/evidence')
  @ApiOperation({
    summary: 'The evidence bundle of every change requested in [from, to), streamed',
    description: BUNDLE_DESCRIPTION,
  })
  @ApiProduces('application/json')
  @ApiOkResponse({ type: EvidenceBundleDto, description: 'Streamed, one change at a time' })
  async period(@Query() query: CompliancePeriodQuery, @Res() reply: FastifyReply) {
    const pieces = await this.evidence.period(periodFilter(query, this.clock.now()));
    return reply
      .header('content-type', 'application/json; charset=utf-8')
      .header('content-disposition', 'attachment; filename="evidence.json"')
      .send(Readable.from(pieces));
  }
}
