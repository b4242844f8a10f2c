import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsInstant } from '../../http/is-instant';
import { FINDING_RULE_IDS, type FindingRule } from '../domain/finding-rules';

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

export class ComplianceExportQuery extends ComplianceAsOfQuery {
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
