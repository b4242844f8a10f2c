import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { IsInstant } from '../../../http/is-instant';

// Documentation only: the controller returns the policy documents and reports these describe.

export class PolicyInForceDto {
  @ApiProperty({ example: 'sha256:20b89a…', description: 'SHA-256 of the canonical document' })
  version!: string;
  @ApiProperty({ example: 'default' }) name!: string;
  @ApiProperty({ description: 'The file it was read from' }) source!: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'The whole policy, defaults filled in (docs/policy.md explains every field)',
  })
  document!: Record<string, unknown>;
}

export class PolicyLoadDto {
  @ApiProperty() version!: string;
  @ApiProperty() name!: string;
  @ApiProperty() source!: string;
  @ApiProperty({ description: 'The instance that loaded it' }) host!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ description: 'Revision on the policy stream' }) revision!: number;
  @ApiProperty() position!: string;
}

export class PolicyVersionParams {
  @ApiProperty({ example: 'sha256:20b89a…' })
  @Matches(/^sha256:[0-9a-f]{64}$/, { message: 'version must be sha256: and 64 hex digits' })
  version!: string;
}

export class CalibrationQuery {
  @ApiPropertyOptional({ description: 'Requested at or after', example: '2026-11-01T00:00:00Z' })
  @IsOptional()
  @IsInstant()
  from?: string;

  @ApiPropertyOptional({ description: 'Requested before', example: '2026-12-01T00:00:00Z' })
  @IsOptional()
  @IsInstant()
  to?: string;
}

class LevelOutcomesDto {
  @ApiProperty({ enum: ['low', 'medium', 'high'] }) level!: string;
  @ApiProperty() changes!: number;
  @ApiProperty() deployed!: number;
  @ApiProperty({ description: 'Deployed and rolled back, closed as failed, or caused an alert' })
  failed!: number;
  @ApiProperty() rolledBack!: number;
  @ApiProperty() causedAlert!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'failed / deployed' })
  failureRate!: number | null;
  @ApiProperty({ type: Number, nullable: true }) meanScore!: number | null;
}

class CalibrationPeriodDto {
  @ApiProperty({ type: String, nullable: true }) from!: string | null;
  @ApiProperty({ type: String, nullable: true }) to!: string | null;
}

export class CalibrationReportDto {
  @ApiProperty({ type: CalibrationPeriodDto }) period!: CalibrationPeriodDto;
  @ApiProperty({ type: [LevelOutcomesDto] }) levels!: LevelOutcomesDto[];
  @ApiProperty({ type: [String] }) policyVersions!: string[];
}
