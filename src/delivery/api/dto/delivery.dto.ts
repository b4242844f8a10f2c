import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, MaxLength } from 'class-validator';
import { BUCKETS, type Bucket } from '../../domain/periods';

export class DeliveryMetricsQuery {
  @ApiPropertyOptional({ example: 'checkout', description: 'One service (not with team)' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  service?: string;

  @ApiPropertyOptional({
    example: 'payments-team',
    description: 'The services this team owns in the catalog (not with service)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  team?: string;

  @ApiPropertyOptional({ description: 'Default DELIVERY_ENVIRONMENT (production)' })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  environment?: string;

  @ApiPropertyOptional({ description: 'Start, inclusive (default: 28 days before `to`)' })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  from?: string;

  @ApiPropertyOptional({ description: 'End, exclusive (default: now)' })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  to?: string;

  @ApiPropertyOptional({ enum: BUCKETS, default: 'week', description: 'UTC days or ISO weeks' })
  @IsOptional()
  @IsIn(BUCKETS)
  bucket: Bucket = 'week';
}

class LeadTimeDto {
  @ApiProperty({ description: 'Completed deployments with a known start' }) count!: number;
  @ApiPropertyOptional({ nullable: true, type: Number }) medianSeconds!: number | null;
  @ApiPropertyOptional({ nullable: true, type: Number, description: 'Nearest rank' })
  p90Seconds!: number | null;
}

class ChangeFailureRateDto {
  @ApiProperty() failed!: number;
  @ApiProperty() deployments!: number;
  @ApiPropertyOptional({ nullable: true, type: Number, description: 'failed / deployments' })
  rate!: number | null;
}

class RecoveryTimeDto {
  @ApiProperty() failed!: number;
  @ApiProperty({ description: 'Failures recovered (rollback or next good deploy)' })
  recovered!: number;
  @ApiPropertyOptional({ nullable: true, type: Number }) medianSeconds!: number | null;
}

class DeliveryFiguresDto {
  @ApiProperty({ format: 'date-time' }) start!: string;
  @ApiProperty({ format: 'date-time', description: 'Exclusive' }) end!: string;
  @ApiProperty({ description: 'Deployment frequency: deployments that went live' })
  deployments!: number;
  @ApiProperty({ type: LeadTimeDto }) leadTime!: LeadTimeDto;
  @ApiProperty({ type: ChangeFailureRateDto }) changeFailureRate!: ChangeFailureRateDto;
  @ApiProperty({ type: RecoveryTimeDto }) recoveryTime!: RecoveryTimeDto;
}

class DeliveryScopeDto {
  @ApiPropertyOptional({ nullable: true, type: String }) service!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) team!: string | null;
  @ApiPropertyOptional({ nullable: true, type: [String], description: 'null: every service' })
  services!: string[] | null;
  @ApiProperty() environment!: string;
}

export class DeliveryMetricsDto {
  @ApiProperty({ type: DeliveryScopeDto }) scope!: DeliveryScopeDto;
  @ApiProperty({ format: 'date-time' }) from!: string;
  @ApiProperty({ format: 'date-time' }) to!: string;
  @ApiProperty({ enum: BUCKETS }) bucket!: string;
  @ApiProperty({ type: [DeliveryFiguresDto] }) buckets!: DeliveryFiguresDto[];
  @ApiProperty({ type: DeliveryFiguresDto, description: 'The whole range' })
  total!: DeliveryFiguresDto;
}
