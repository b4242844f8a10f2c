import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsInstant } from '../http/is-instant';
import { InvalidRequest } from '../http/problem';
import type { ComplianceFilter } from './read-model/compliance-queries';
import { utc } from './domain/change-compliance';
import { FINDING_RULE_IDS, type FindingRule } from './domain/finding-rules';

export const EXPORT_FORMATS = ['json', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export class ComplianceAsOfQuery {
  @ApiPropertyOptional({
    description: 'Judge findings as of this instant (default: now); later findings are left out',
    example: '2026-12-01T00:00:00Z',
  })
  @IsOptional()
  @IsInstant()
  asOf?: string;
}

/** A period [from, to) and a service, each optional, judged as of an instant. */
export class CompliancePeriodQuery extends ComplianceAsOfQuery {
  @ApiPropertyOptional({ description: 'Period start, inclusive', example: '2026-11-01T00:00:00Z' })
  @IsOptional()
  @IsInstant()
  from?: string;

  @ApiPropertyOptional({ description: 'Period end, exclusive', example: '2026-12-01T00:00:00Z' })
  @IsOptional()
  @IsInstant()
  to?: string;

  @ApiPropertyOptional({ example: 'checkout' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  service?: string;
}

export class ComplianceExportQuery extends CompliancePeriodQuery {
  @ApiPropertyOptional({ enum: EXPORT_FORMATS, default: 'json' })
  @IsOptional()
  @IsIn(EXPORT_FORMATS)
  format: ExportFormat = 'json';
}

export class ComplianceChangesQuery extends ComplianceExportQuery {
  @ApiPropertyOptional({ enum: FINDING_RULE_IDS, description: 'Only changes with this finding' })
  @IsOptional()
  @IsIn(FINDING_RULE_IDS)
  finding?: FindingRule;
}

export class ComplianceFindingsQuery extends ComplianceExportQuery {
  @ApiPropertyOptional({ enum: FINDING_RULE_IDS })
  @IsOptional()
  @IsIn(FINDING_RULE_IDS)
  rule?: FindingRule;
}

/** The instant findings are judged at: the query's, else now. */
export function asOfInstant(query: ComplianceAsOfQuery, now: Date): string {
  return query.asOf === undefined ? now.toISOString() : utc(query.asOf);
}

/** The filter a period query asks for; `to` must be after `from`. */
export function periodFilter(query: CompliancePeriodQuery, now: Date): ComplianceFilter {
  const from = query.from === undefined ? null : utc(query.from);
  const to = query.to === undefined ? null : utc(query.to);
  if (from !== null && to !== null && to <= from) {
    throw new InvalidRequest([{ field: 'to', reason: 'to must be after from' }]);
  }
  return { from, to, service: query.service ?? null, asOf: asOfInstant(query, now) };
}
