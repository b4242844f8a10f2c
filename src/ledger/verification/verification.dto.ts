import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

class BrokenLinkDto {
  @ApiProperty({ example: 'change-6f1c2b9e-8d4a-4c1e-9f7a-2b3c4d5e6f70' }) streamId!: string;
  @ApiProperty({ example: 3 }) revision!: number;
  @ApiProperty({ example: '1042:17' }) position!: string;
  @ApiProperty({
    enum: ['hash-mismatch', 'broken-link', 'revision-gap', 'revision-out-of-order', 'wrong-stream'],
  })
  reason!: string;
  @ApiProperty({ description: 'The hash that should be there' }) expectedHash!: string;
  @ApiProperty({ description: 'The hash that is there' }) foundHash!: string;
  @ApiPropertyOptional() expectedRevision?: number;
}

class LeafEventDto {
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty() streamId!: string;
  @ApiProperty() revision!: number;
  @ApiProperty({ description: 'Envelope hash (recomputed, for the event found)' }) hash!: string;
}

class LeafDifferenceDto {
  @ApiProperty() leafIndex!: number;
  @ApiProperty({ enum: ['edited', 'replaced', 'missing'] }) reason!: string;
  @ApiProperty({ type: LeafEventDto, description: 'What the tree recorded at this leaf' })
  expected!: LeafEventDto;
  @ApiProperty({ type: LeafEventDto, nullable: true, description: 'What the feed holds there now' })
  found!: LeafEventDto | null;
}

class CheckpointProblemDto {
  @ApiProperty() treeSize!: number;
  @ApiProperty({ enum: ['signature', 'root-mismatch', 'beyond-log'] }) reason!: string;
  @ApiProperty() detail!: string;
  @ApiProperty({ description: 'The difference lies in the leaves from here to treeSize' })
  leavesFrom!: number;
}

class TileDto {
  @ApiProperty() level!: number;
  @ApiProperty() index!: number;
}

export class TreeVerdictDto {
  @ApiProperty() intact!: boolean;
  @ApiProperty({ description: 'Leaves recomputed from the stored events' }) leaves!: number;
  @ApiProperty({ description: 'Leaves the stored tree holds' }) treeSize!: number;
  @ApiProperty({ description: 'Events the tree has not taken in yet' }) pending!: number;
  @ApiProperty({ description: 'Signed checkpoints checked' }) checkpoints!: number;
  @ApiProperty({ nullable: true, type: Number }) latestCheckpoint!: number | null;
  @ApiPropertyOptional({ type: LeafDifferenceDto }) firstDifference?: LeafDifferenceDto;
  @ApiPropertyOptional({ type: CheckpointProblemDto }) checkpoint?: CheckpointProblemDto;
  @ApiPropertyOptional({ type: TileDto, description: 'A stored tile the leaves do not give' })
  tile?: TileDto;
}

export class VerificationDto {
  @ApiProperty({ description: 'True when every hash and link recomputes (and the tree holds)' })
  intact!: boolean;
  @ApiPropertyOptional({ description: 'Events verified (before the break, if any)' })
  events?: number;
  @ApiPropertyOptional({ description: 'Streams seen (whole-log check)' }) streams?: number;
  @ApiPropertyOptional({ description: 'Last position verified (whole-log check)', nullable: true })
  lastPosition?: string | null;
  @ApiPropertyOptional({ type: BrokenLinkDto, description: 'The first broken link' })
  broken?: BrokenLinkDto;
  @ApiPropertyOptional({
    type: TreeVerdictDto,
    description:
      'Whole-log check: the Merkle tree recomputed and held against the signed checkpoints',
  })
  tree?: TreeVerdictDto;
}
