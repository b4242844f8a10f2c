import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import { RISK_LEVELS } from '../../../policy/policy';
import { MAX_WINDOW_HOURS } from '../../domain/look-back-window';
import { PageLimit } from '../../../http/page-limit.decorator';

export class WhatChangedQuery {
  @ApiProperty({ example: 'checkout', description: 'The alerting service' })
  @IsString()
  @MaxLength(100)
  service!: string;

  @ApiPropertyOptional({
    description: 'The moment asked about (default now); nothing after it is seen',
    example: '2026-11-23T14:05:00Z',
  })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  at?: string;

  @ApiPropertyOptional({
    description: 'Look-back in hours (default WHAT_CHANGED_WINDOW_HOURS, 4)',
    minimum: 1,
    maximum: MAX_WINDOW_HOURS,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_WINDOW_HOURS)
  windowHours?: number;

  @ApiPropertyOptional({
    example: 'production',
    description: 'Only deployments to this environment (default: every environment)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  environment?: string;

  @PageLimit(20, 100)
  limit: number = 20;
}

export class RecordAlertCauseDto {
  @ApiProperty({
    format: 'uuid',
    nullable: true,
    type: String,
    description: 'The change that caused the alert, or null: no change did',
  })
  @ValidateIf((_, value) => value !== null)
  @IsUUID()
  changeId!: string | null;

  @ApiProperty({ example: 'Connection pool exhausted right after the rollout reached 50%' })
  @IsString()
  @Matches(/\S/, { message: 'note must not be blank' })
  @MaxLength(5000)
  note!: string;
}

class ScoreFactorsDto {
  @ApiProperty({ description: '0.5^(minutesBefore / 60)' }) proximity!: number;
  @ApiProperty({ description: '0.5^depth' }) relation!: number;
  @ApiProperty({ description: 'high or unplanned 1, medium 0.75, low 0.5' }) risk!: number;
  @ApiProperty({ description: 'rolling out 1, deployed 0.8, rolled back 0.4' }) state!: number;
}

export class SuspectDto {
  @ApiProperty({ example: 'change:6f1c…' }) deploymentKey!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) changeId!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) title!: string | null;
  @ApiProperty() service!: string;
  @ApiProperty() environment!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) version!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) commit!: string | null;
  @ApiPropertyOptional({ nullable: true, enum: RISK_LEVELS }) riskLevel!: string | null;
  @ApiProperty({ description: 'No approved change accounts for it' }) unplanned!: boolean;
  @ApiProperty({ enum: ['same-service', 'dependency'] }) relation!: string;
  @ApiProperty({ description: '0: the alerting service itself' }) depth!: number;
  @ApiProperty({ type: [String] }) path!: string[];
  @ApiProperty({ enum: ['rolling-out', 'deployed', 'rolled-back'] }) status!: string;
  @ApiProperty({ format: 'date-time' }) startedAt!: string;
  @ApiPropertyOptional({ nullable: true, format: 'date-time', type: String })
  deployedAt!: string | null;
  @ApiPropertyOptional({ nullable: true, format: 'date-time', type: String })
  rolledBackAt!: string | null;
  @ApiProperty({ format: 'date-time', description: 'Its last move at or before the moment' })
  changedAt!: string;
  @ApiProperty() minutesBefore!: number;
  @ApiProperty({ description: 'proximity × relation × risk × state' }) score!: number;
  @ApiProperty({ type: ScoreFactorsDto }) factors!: ScoreFactorsDto;
  @ApiProperty({
    type: [String],
    example: ['same-service', 'most-recent', 'still-rolling-out'],
    description:
      'explicit-cause, same-service, dependency, most-recent, still-rolling-out, rolled-back, ' +
      'high-risk, unplanned',
  })
  reasons!: string[];
}

class UpstreamServiceDto {
  @ApiProperty() service!: string;
  @ApiProperty() depth!: number;
  @ApiProperty({ type: [String] }) path!: string[];
}

export class WhatChangedDto {
  @ApiProperty() service!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) environment!: string | null;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ format: 'date-time' }) from!: string;
  @ApiProperty() windowHours!: number;
  @ApiProperty({ type: [UpstreamServiceDto], description: 'What the service depends on' })
  upstream!: UpstreamServiceDto[];
  @ApiProperty({ description: 'Suspects found, before the limit' }) total!: number;
  @ApiProperty({ type: [SuspectDto], description: 'Most suspect first' }) suspects!: SuspectDto[];
}

class AlertCauseDto {
  @ApiPropertyOptional({ nullable: true, type: String, format: 'uuid' }) changeId!: string | null;
  @ApiProperty() note!: string;
  @ApiProperty() recordedBy!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
}

export class AlertCauseResultDto {
  @ApiProperty({ example: 'alert-3b0f…' }) streamId!: string;
  @ApiProperty() alertId!: string;
  @ApiProperty({ type: AlertCauseDto }) cause!: AlertCauseDto;
  @ApiProperty() revision!: number;
  @ApiProperty({ description: 'False when this cause and note were already recorded' })
  recorded!: boolean;
}

export class AlertSummaryDto {
  @ApiProperty() streamId!: string;
  @ApiProperty() alertId!: string;
  @ApiProperty() name!: string;
  @ApiProperty() service!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) environment!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) severity!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) summary!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) url!: string | null;
  @ApiProperty({ enum: ['firing', 'resolved'] }) status!: string;
  @ApiProperty({ format: 'date-time' }) startsAt!: string;
  @ApiPropertyOptional({ nullable: true, format: 'date-time', type: String })
  resolvedAt!: string | null;
  @ApiPropertyOptional({ nullable: true, type: Number }) secondsToResolve!: number | null;
  @ApiPropertyOptional({ nullable: true, type: Number, description: 'Look-back of the suspects' })
  windowHours!: number | null;
  @ApiPropertyOptional({
    nullable: true,
    type: AlertCauseDto,
    description: 'What a responder named as the cause; it overrides the heuristic',
  })
  cause!: AlertCauseDto | null;
}

export class AlertDto extends AlertSummaryDto {
  @ApiProperty({
    type: [SuspectDto],
    description: 'Stored when the alert fired; the named cause first (reason explicit-cause)',
  })
  suspects!: SuspectDto[];
}

export class AlertListDto {
  @ApiProperty({ type: [AlertSummaryDto], description: 'Newest first' })
  items!: AlertSummaryDto[];
}

export class AlertListQuery {
  @ApiPropertyOptional({ example: 'checkout', description: 'Only alerts on this service' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  service?: string;

  @ApiPropertyOptional({ enum: ['firing', 'resolved'] })
  @IsOptional()
  @IsIn(['firing', 'resolved'])
  status?: 'firing' | 'resolved';

  @PageLimit(50, 200)
  limit: number = 50;
}
