import { ApiProperty } from '@nestjs/swagger';
import { CHANGE_TYPES } from '../../changes/domain/change-request';
import { APPROVAL_ROUTES } from '../../policy/routing/approval-route';
import { REQUIRED_ITEMS } from '../domain/completeness';
import { FINDING_RULE_IDS } from '../domain/finding-rules';

// Documentation only: the controller returns the domain views, these describe their shape.

const instant = (description?: string) =>
  ApiProperty({ type: String, format: 'date-time', nullable: true, description });

class WindowDto {
  @ApiProperty({ format: 'date-time' }) start!: string;
  @ApiProperty({ format: 'date-time' }) end!: string;
}

class ApprovalDto {
  @ApiProperty() approver!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty() countsAsCab!: boolean;
}

class AttemptDto {
  @ApiProperty({ example: 'self-approval', description: 'Refusal code or ingest reason' })
  code!: string;
  @ApiProperty({ example: 'ApproveChange', description: 'The command, or deploy' })
  command!: string;
  @ApiProperty() actor!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty() detail!: string;
}

class ProvidedDto {
  @ApiProperty() justification!: boolean;
  @ApiProperty() rollbackPlan!: boolean;
  @ApiProperty() testPlan!: boolean;
}

class CompletenessDto {
  @ApiProperty() complete!: boolean;
  @ApiProperty({ enum: REQUIRED_ITEMS, isArray: true }) missing!: string[];
}

export class FindingDto {
  @ApiProperty({ description: 'Stable id of the fact', example: 'missing-rollback-plan:6f1c…' })
  id!: string;
  @ApiProperty({ enum: FINDING_RULE_IDS }) rule!: string;
  @ApiProperty({ format: 'date-time', description: 'When it became a finding' }) at!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) changeId!: string | null;
  @ApiProperty({ type: [String] }) services!: string[];
  @ApiProperty() detail!: string;
}

export class ComplianceChangeDto {
  @ApiProperty({ format: 'uuid' }) changeId!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ enum: CHANGE_TYPES }) type!: string;
  @ApiProperty() category!: string;
  @ApiProperty() environment!: string;
  @ApiProperty({ type: [String] }) services!: string[];
  @ApiProperty() requestedBy!: string;
  @ApiProperty({ format: 'date-time' }) requestedAt!: string;
  @ApiProperty({ type: ProvidedDto }) provided!: ProvidedDto;
  @ApiProperty({ type: Number, nullable: true }) rollbackExpectedMinutes!: number | null;
  @ApiProperty({ type: WindowDto, nullable: true }) plannedWindow!: WindowDto | null;
  @ApiProperty({ type: WindowDto, nullable: true }) scheduledWindow!: WindowDto | null;
  @ApiProperty({ type: String, nullable: true }) riskLevel!: string | null;
  @ApiProperty({ enum: APPROVAL_ROUTES, nullable: true }) route!: string | null;
  @ApiProperty({ type: Number, nullable: true }) requiredApprovals!: number | null;
  @ApiProperty() requiresCab!: boolean;
  @ApiProperty({ type: String, nullable: true }) policyVersion!: string | null;
  @ApiProperty({ type: [ApprovalDto] }) approvals!: ApprovalDto[];
  @instant() approvedAt!: string | null;
  @ApiProperty() approvedAutomatically!: boolean;
  @instant() deployStartedAt!: string | null;
  @ApiProperty() startedOutsideWindow!: boolean;
  @instant() reviewDueBy!: string | null;
  @instant('Latest deployment start, rollout stage or deployed: where a rollback is timed from')
  lastDeploymentStepAt!: string | null;
  @instant() deployedAt!: string | null;
  @instant() rolledBackAt!: string | null;
  @ApiProperty({ type: Number, nullable: true }) rollbackMinutes!: number | null;
  @instant() closedAt!: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Closing outcome, rejected or cancelled; null while in progress',
  })
  outcome!: string | null;
  @instant() firstReviewAt!: string | null;
  @ApiProperty({ type: [AttemptDto] }) attempts!: AttemptDto[];
  @ApiProperty({ type: CompletenessDto }) completeness!: CompletenessDto;
  @ApiProperty({ type: [FindingDto] }) findings!: FindingDto[];
}

export class ComplianceChangeListDto {
  @ApiProperty({ format: 'date-time' }) asOf!: string;
  @ApiProperty({ type: [ComplianceChangeDto] }) items!: ComplianceChangeDto[];
}

export class FindingListDto {
  @ApiProperty({ format: 'date-time' }) asOf!: string;
  @ApiProperty({ type: [FindingDto] }) items!: FindingDto[];
}

class PeriodDto {
  @instant('Inclusive') from!: string | null;
  @instant('Exclusive') to!: string | null;
  @ApiProperty({ type: String, nullable: true }) service!: string | null;
  @ApiProperty({ format: 'date-time' }) asOf!: string;
}

class DurationFiguresDto {
  @ApiProperty() count!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'Nearest-rank 50th percentile' })
  p50!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Nearest-rank 90th percentile' })
  p90!: number | null;
}

const counts = (description: string) =>
  ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, description });
const share = (description: string) => ApiProperty({ type: Number, nullable: true, description });

export class ComplianceReportDto {
  @ApiProperty({ type: PeriodDto }) period!: PeriodDto;
  @ApiProperty({ description: 'Changes requested in the period' }) changes!: number;
  @counts('Changes by type') volumeByType!: Record<string, number>;
  @ApiProperty({ type: DurationFiguresDto, description: 'Requested → deployed' })
  leadTimeMinutes!: DurationFiguresDto;
  @ApiProperty({ type: DurationFiguresDto, description: 'Requested → approved by people' })
  approvalTimeMinutes!: DurationFiguresDto;
  @ApiProperty() approved!: number;
  @ApiProperty() approvedAutomatically!: number;
  @share('approvedAutomatically / approved') approvedAutomaticallyShare!: number | null;
  @ApiProperty({ description: 'Changes whose deployment started' }) deployed!: number;
  @ApiProperty({ description: 'Deployed changes rolled back or closed as failed' })
  failed!: number;
  @share('failed / deployed') changeFailureRate!: number | null;
  @ApiProperty() rolledBack!: number;
  @share('rolledBack / deployed') rollbackRate!: number | null;
  @share('Mean minutes from the last deployment step to the rollback')
  meanTimeToRollBackMinutes!: number | null;
  @ApiProperty() complete!: number;
  @share('complete / changes') auditCompletenessShare!: number | null;
  @counts('Findings that arose in the period, by rule') findingsByRule!: Record<string, number>;
}
