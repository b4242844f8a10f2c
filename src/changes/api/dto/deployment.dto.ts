import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsNumber,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import {
  CHANGE_OUTCOMES,
  GATE_VERDICTS,
  type ChangeOutcome,
  type GateVerdict,
} from '../../domain/commands';
import { NestedObject, OptionalNestedObject } from '../../../http/nested.decorators';
import { TimeWindowDto } from './request-change.dto';

export class ScheduleChangeDto {
  @ApiProperty({ type: TimeWindowDto })
  @NestedObject(() => TimeWindowDto)
  window!: TimeWindowDto;
}

export class DeployedVersionDto {
  @ApiPropertyOptional({ example: '2026.11.23-1' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  version?: string;

  @ApiPropertyOptional({ example: '9f1c2ab' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  commit?: string;
}

export class StartDeploymentDto extends DeployedVersionDto {
  @ApiPropertyOptional({ example: 'gha-run-88123' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  deploymentId?: string;
}

export class GateResultDto {
  @ApiProperty({ example: 'error-rate' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  @ApiProperty({ enum: GATE_VERDICTS })
  @IsIn(GATE_VERDICTS)
  verdict!: GateVerdict;

  @ApiPropertyOptional({ example: 0.4 })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  observed?: number;

  @ApiPropertyOptional({ example: 1 })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  threshold?: number;
}

export class StageMetricsDto {
  @ApiPropertyOptional({ example: 0.0004, description: 'Failed over all requests: 0.001 is 0.1 %' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  errorRate?: number;

  @ApiPropertyOptional({ example: 212 })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(3_600_000)
  p99LatencyMs?: number;

  @ApiPropertyOptional({ example: 198, description: 'p99 latency before the rollout' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(3_600_000)
  baselineP99LatencyMs?: number;
}

export class CompleteRolloutStageDto {
  @ApiProperty({ example: 'canary' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  stage!: string;

  @ApiProperty({ example: 5, minimum: 0, maximum: 100 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(100)
  percent!: number;

  @ApiProperty({ type: [GateResultDto] })
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => GateResultDto)
  gates!: GateResultDto[];

  @ApiPropertyOptional({
    type: StageMetricsDto,
    description: "What the stage observed: the ledger judges it against the policy's gates",
  })
  @OptionalNestedObject(() => StageMetricsDto)
  metrics?: StageMetricsDto;
}

export class VerifyChangeDto {
  @ApiPropertyOptional({ example: 'Dashboards green for 30 minutes' })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  notes?: string;
}

export class RollBackChangeDto {
  @ApiProperty({ example: 'p99 latency doubled at 25%' })
  @IsString()
  @MinLength(1)
  @MaxLength(5000)
  reason!: string;

  @ApiPropertyOptional({ example: '2026.11.22-3' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  toVersion?: string;
}

export class CloseChangeDto {
  @ApiProperty({ enum: CHANGE_OUTCOMES })
  @IsIn(CHANGE_OUTCOMES)
  outcome!: ChangeOutcome;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  notes?: string;
}
