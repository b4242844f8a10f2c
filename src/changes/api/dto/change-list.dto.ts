import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CHANGE_STATUSES } from '../../domain/change-state';

class ChangeSummaryDto {
  @ApiProperty({ format: 'uuid' }) changeId!: string;
  @ApiProperty() title!: string;
  @ApiProperty() type!: string;
  @ApiProperty() category!: string;
  @ApiProperty() environment!: string;
  @ApiProperty({ type: [String] }) services!: string[];
  @ApiProperty({ enum: CHANGE_STATUSES }) status!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) riskLevel!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) route!: string | null;
  @ApiProperty() requestedBy!: string;
  @ApiProperty({ format: 'date-time' }) requestedAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class ChangeListDto {
  @ApiProperty({ type: [ChangeSummaryDto] }) items!: ChangeSummaryDto[];
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'Pass as ?cursor= for the next page',
  })
  nextCursor!: string | null;
}
