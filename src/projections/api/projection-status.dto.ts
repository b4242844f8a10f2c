import { ApiProperty } from '@nestjs/swagger';

class LagDto {
  @ApiProperty({ description: 'Ledger events not applied yet (counted up to 10,000)' })
  events!: number;
  @ApiProperty({ description: 'Age of the oldest event not applied yet' }) seconds!: number;
}

export class ProjectionStatusDto {
  @ApiProperty({ example: 'change-catalog' }) name!: string;
  @ApiProperty({ nullable: true, type: String, description: 'Last ledger position applied' })
  position!: string | null;
  @ApiProperty({ description: 'Events applied since the last rebuild' }) events!: number;
  @ApiProperty({ type: LagDto }) lag!: LagDto;
  @ApiProperty() rebuilding!: boolean;
  @ApiProperty({
    nullable: true,
    type: String,
    format: 'date-time',
    description:
      'Since when applying the feed keeps failing on this instance (the database unreachable, …); null while it works',
  })
  failingSince!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Why it last failed' })
  lastError!: string | null;
}

export class RebuildStartedDto {
  @ApiProperty({ description: 'False when a rebuild of this read model is already running' })
  started!: boolean;
}
