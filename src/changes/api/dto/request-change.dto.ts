import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import {
  BLAST_RADII,
  CHANGE_CATEGORIES,
  CHANGE_TYPES,
  type BlastRadius,
  type ChangeCategory,
  type ChangeType,
} from '../../domain/change-request';
import { OptionalNestedObject } from '../../../http/nested.decorators';

const SERVICE_NAME = /^[a-z0-9][a-z0-9._-]{0,99}$/;

export class TimeWindowDto {
  @ApiProperty({ example: '2026-11-23T09:00:00Z' })
  @IsISO8601({ strict: true, strictSeparator: true })
  start!: string;

  @ApiProperty({ example: '2026-11-23T11:00:00Z' })
  @IsISO8601({ strict: true, strictSeparator: true })
  end!: string;
}

export class RollbackPlanDto {
  @ApiProperty({ example: 'error rate above 2% for 5 minutes' })
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  trigger!: string;

  @ApiProperty({ type: [String], example: ['helm rollback checkout 41'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MaxLength(2000, { each: true })
  steps!: string[];

  @ApiProperty({ example: 10, minimum: 0, maximum: 10080 })
  @IsInt()
  @Min(0)
  @Max(10080)
  expectedMinutes!: number;
}

export class ExternalRefsDto {
  @ApiPropertyOptional({ example: 'https://git.example.com/shop/checkout/pull/412' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  pullRequest?: string;

  @ApiPropertyOptional({ example: '9f1c2ab' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  commit?: string;

  @ApiPropertyOptional({ example: 'OPS-1234' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  ticket?: string;
}

export class RequestChangeDto {
  @ApiProperty({ example: 'Raise checkout connection pool to 50' })
  @IsString()
  @MinLength(3)
  @MaxLength(200)
  title!: string;

  @ApiProperty({ example: 'Pool exhaustion under Black Friday load' })
  @IsString()
  @MinLength(1)
  @MaxLength(10000)
  description!: string;

  @ApiProperty({ enum: CHANGE_TYPES })
  @IsIn(CHANGE_TYPES)
  type!: ChangeType;

  @ApiProperty({ enum: CHANGE_CATEGORIES })
  @IsIn(CHANGE_CATEGORIES)
  category!: ChangeCategory;

  @ApiProperty({
    type: [String],
    example: ['checkout'],
    description: 'Services this change touches',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @Matches(SERVICE_NAME, { each: true, message: 'each service must match ' + SERVICE_NAME.source })
  services!: string[];

  @ApiProperty({ example: 'production' })
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9._-]{0,49}$/)
  environment!: string;

  @ApiProperty({ enum: BLAST_RADII })
  @IsIn(BLAST_RADII)
  blastRadius!: BlastRadius;

  @ApiProperty()
  @IsBoolean()
  hasDatabaseMigration!: boolean;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(10000)
  justification?: string;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MaxLength(2000, { each: true })
  implementationSteps?: string[];

  @ApiPropertyOptional({ type: RollbackPlanDto })
  @OptionalNestedObject(() => RollbackPlanDto)
  rollbackPlan?: RollbackPlanDto;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(10000)
  testPlan?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(10000)
  communicationPlan?: string;

  @ApiPropertyOptional({ type: TimeWindowDto })
  @OptionalNestedObject(() => TimeWindowDto)
  plannedWindow?: TimeWindowDto;

  @ApiPropertyOptional({ type: ExternalRefsDto })
  @OptionalNestedObject(() => ExternalRefsDto)
  externalRefs?: ExternalRefsDto;

  @ApiPropertyOptional({
    example: 'feature-flag-toggle',
    description: 'The policy template a standard or preapproved change follows (GET /policy)',
  })
  @IsOptional()
  @Matches(/^[a-z0-9][a-z0-9._-]{0,99}$/)
  templateId?: string;

  @ApiPropertyOptional({ example: 12, description: 'Size of the change, weighed in its risk' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10_000_000)
  filesChanged?: number;

  @ApiPropertyOptional({ example: 340 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100_000_000)
  linesChanged?: number;

  @ApiPropertyOptional({
    example: '2026.12.03-1',
    description: 'The version to deploy: with externalRefs.commit, what approvers approve',
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  version?: string;
}

/** Any field of a request but its type and template; a change of scope needs new approvals. */
export class AmendChangeDto extends PartialType(
  OmitType(RequestChangeDto, ['type', 'templateId'] as const),
) {}
