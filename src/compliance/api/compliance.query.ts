import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength, ValidateBy } from 'class-validator';
import { toInstant } from '../../changes/domain/instant';
import { FINDING_RULE_IDS, type FindingRule } from '../domain/finding-rules';

export const EXPORT_FORMATS = ['json', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

// The offset is required, so a period means the same whatever the server's time zone.
const IsInstant = () =>
  ValidateBy({
    name: 'isInstant',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && toInstant(value) !== undefined,
      defaultMessage: (args) =>
        `${args?.property ?? 'value'} must be an ISO-8601 date-time with a UTC offset`,
    },
  });

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
