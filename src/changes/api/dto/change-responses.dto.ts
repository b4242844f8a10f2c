import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CHANGE_STATUSES, type ChangeStatus } from '../../domain/change-state';

export class AppendedEventDto {
  @ApiProperty({ example: 'ApprovalGranted' })
  type!: string;

  @ApiProperty({ example: 2 })
  revision!: number;

  @ApiProperty({ example: '1042:17', description: 'Opaque position in the global feed' })
  position!: string;

  @ApiProperty({ example: '3f7a…', description: 'SHA-256 of the event envelope (hex)' })
  hash!: string;
}

export class ChangeCommandResultDto {
  @ApiProperty({ format: 'uuid' })
  changeId!: string;

  @ApiProperty({ enum: CHANGE_STATUSES })
  status!: ChangeStatus;

  @ApiProperty({ description: 'Last revision of the change stream' })
  revision!: number;

  @ApiProperty({ type: [AppendedEventDto] })
  events!: AppendedEventDto[];
}

class ApprovalDto {
  @ApiProperty() principal!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty() countsAsCab!: boolean;
}

export class ChangeViewDto {
  @ApiProperty({ format: 'uuid' }) changeId!: string;
  @ApiProperty({ enum: CHANGE_STATUSES }) status!: ChangeStatus;
  @ApiProperty() revision!: number;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The request as made' })
  request!: Record<string, unknown>;
  @ApiProperty() requestedBy!: string;
  @ApiProperty({ format: 'date-time' }) requestedAt!: string;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'Risk score, level, factors, route, policy version',
  })
  assessment?: Record<string, unknown>;
  @ApiProperty({ type: [ApprovalDto] }) approvals!: ApprovalDto[];
  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  window?: Record<string, unknown>;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  deployment?: Record<string, unknown>;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  deployed?: Record<string, unknown>;
  @ApiProperty({ type: 'array', items: { type: 'object', additionalProperties: true } })
  rolloutStages!: Record<string, unknown>[];
  @ApiProperty({ type: 'array', items: { type: 'object', additionalProperties: true } })
  reviews!: Record<string, unknown>[];
  @ApiPropertyOptional() outcome?: string;
}

class ConflictWindowDto {
  @ApiProperty({ format: 'date-time' }) start!: string;
  @ApiProperty({ format: 'date-time' }) end!: string;
}

export class ConflictDto {
  @ApiProperty({ enum: ['same-service', 'dependency', 'freeze', 'blackout'] }) kind!: string;
  @ApiProperty({ description: "The other change's id, or the freeze's or blackout's" })
  with!: string;
  @ApiProperty() detail!: string;
  @ApiProperty({ enum: ['warn', 'refuse'], description: 'What the policy does about it' })
  action!: string;
}

export class ChangeConflictsDto {
  @ApiProperty({ format: 'uuid' }) changeId!: string;
  @ApiProperty({ type: ConflictWindowDto, nullable: true }) window!: ConflictWindowDto | null;
  @ApiProperty({ type: [ConflictDto] }) conflicts!: ConflictDto[];
}

class AwaitingApprovalDto extends ChangeViewDto {
  @ApiPropertyOptional({ format: 'date-time', description: 'When the approvals are due (SLA)' })
  approvalDueBy?: string;
  @ApiProperty({ description: 'ApprovalOverdue was recorded for the current deadline' })
  approvalOverdue!: boolean;
}

export class AwaitingApprovalListDto {
  @ApiProperty({ type: [AwaitingApprovalDto], description: 'Oldest request first' })
  items!: AwaitingApprovalDto[];
}
