import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsISO8601,
  IsOptional,
  IsString,
  MaxLength,
  MinLength,
} from 'class-validator';
import { REVIEW_KINDS, type ReviewKind } from '../../domain/commands';

export class ApproveChangeDto {
  @ApiPropertyOptional({ example: 'Looks safe; rollback plan tested in staging' })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  comment?: string;
}

export class RejectChangeDto {
  @ApiProperty({ example: 'No rollback plan for the schema change' })
  @IsString()
  @MinLength(1)
  @MaxLength(5000)
  reason!: string;
}

export class DeferChangeDto {
  @ApiProperty({ example: 'Inside the Black Friday freeze' })
  @IsString()
  @MinLength(1)
  @MaxLength(5000)
  reason!: string;

  @ApiPropertyOptional({ example: '2026-12-01T00:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  until?: string;
}

export class CancelChangeDto {
  @ApiProperty({ example: 'Superseded by a config flag' })
  @IsString()
  @MinLength(1)
  @MaxLength(5000)
  reason!: string;
}

export class RecordReviewDto {
  @ApiProperty({ example: 'Emergency fix held; follow-up ticket OPS-1240 for the root cause' })
  @IsString()
  @MinLength(1)
  @MaxLength(10000)
  summary!: string;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MaxLength(2000, { each: true })
  findings?: string[];

  @ApiPropertyOptional({ enum: REVIEW_KINDS, default: 'post-implementation' })
  @IsOptional()
  @IsIn(REVIEW_KINDS)
  reviewKind?: ReviewKind;
}
