import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { IsInstant } from '../../http/is-instant';

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
