import { Controller, Get, Param, ParseUUIDPipe, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { RequireRoles } from '../../auth/access.decorators';
import { Clock } from '../../common/clock';
import { ApiProblems } from '../../http/api-problems.decorator';
import { ReadModel } from '../../projections/read-model.decorator';
import { complianceProjection } from '../read-model/compliance.projection';
import { ComplianceQueries } from '../read-model/compliance-queries';
import { changesCsv, findingsCsv, reportCsv } from '../domain/compliance-csv';
import {
  ComplianceChangeDto,
  ComplianceChangeListDto,
  ComplianceReportDto,
  FindingListDto,
} from './compliance-responses.dto';
import {
  ComplianceAsOfQuery,
  ComplianceChangesQuery,
  ComplianceExportQuery,
  ComplianceFindingsQuery,
  asOfInstant,
  periodFilter,
} from '../compliance.query';

const changeId = new ParseUUIDPipe();
const READ_MODEL = complianceProjection.name;

/** The CSV export of a route: a download, whatever the client would otherwise do with it. */
function csvDownload(reply: FastifyReply, filename: string, body: string): string {
  void reply
    .header('content-type', 'text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${filename}"`);
  return body;
}

/** The auditor's questions: per change, per finding and per period; JSON or CSV. */
@ApiTags('compliance')
@ApiBearerAuth()
@ApiProblems()
@RequireRoles('auditor')
@Controller('compliance')
export class ComplianceController {
  constructor(
    private readonly queries: ComplianceQueries,
    private readonly clock: Clock,
  ) {}

  @Get('changes')
  @ReadModel(READ_MODEL)
  @ApiOperation({
    summary: 'Changes requested in [from, to), with completeness and findings (JSON or CSV)',
  })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: ComplianceChangeListDto })
  async changes(
    @Query() query: ComplianceChangesQuery,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const filter = periodFilter(query, this.clock.now());
    const items = await this.queries.changes(filter, query.finding ?? null);
    return query.format === 'csv'
      ? csvDownload(reply, 'compliance-changes.csv', changesCsv(items))
      : { asOf: filter.asOf, items };
  }

  @Get('changes/:id')
  @ReadModel(READ_MODEL)
  @ApiOperation({ summary: "One change's compliance record, completeness and findings" })
  @ApiOkResponse({ type: ComplianceChangeDto })
  change(@Param('id', changeId) id: string, @Query() query: ComplianceAsOfQuery) {
    return this.queries.change(id, asOfInstant(query, this.clock.now()));
  }

  @Get('findings')
  @ReadModel(READ_MODEL)
  @ApiOperation({ summary: 'Findings that arose in [from, to), oldest first (JSON or CSV)' })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: FindingListDto })
  async findings(
    @Query() query: ComplianceFindingsQuery,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const filter = periodFilter(query, this.clock.now());
    const items = await this.queries.findings(filter, query.rule ?? null);
    return query.format === 'csv'
      ? csvDownload(reply, 'compliance-findings.csv', findingsCsv(items))
      : { asOf: filter.asOf, items };
  }

  @Get('report')
  @ReadModel(READ_MODEL)
  @ApiOperation({
    summary: 'Period report: volume, lead and approval times, failure and rollback rates, …',
    description:
      'Change figures cover the changes requested in [from, to); finding counts the findings ' +
      'that arose in it by asOf. Percentiles are nearest-rank; durations in minutes.',
  })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: ComplianceReportDto })
  async report(
    @Query() query: ComplianceExportQuery,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const report = await this.queries.report(periodFilter(query, this.clock.now()));
    return query.format === 'csv'
      ? csvDownload(reply, 'compliance-report.csv', reportCsv(report))
      : report;
  }
}
