import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { RecordedEventDto } from '../../ledger/recorded-event.dto';

class EventEvidenceDto {
  @ApiProperty({ type: RecordedEventDto }) event!: RecordedEventDto;
  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'Null: not yet covered by the checkpoint',
  })
  leafIndex!: number | null;
  @ApiProperty({
    nullable: true,
    type: [String],
    description: 'RFC 9162 inclusion path to the checkpoint’s root, base64, leaf upward',
  })
  inclusionProof!: string[] | null;
}

class ChangeEvidenceDto {
  @ApiProperty({ format: 'uuid' }) changeId!: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description: 'The compliance record (derived from the events, not signed)',
  })
  compliance!: Record<string, unknown> | null;
  @ApiProperty({
    type: [EventEvidenceDto],
    description: 'Every event of the change, in revision order',
  })
  events!: EventEvidenceDto[];
}

class BundleCheckpointDto {
  @ApiProperty() treeSize!: number;
  @ApiProperty({ description: 'The signed note (C2SP tlog-checkpoint) with its cosignatures' })
  note!: string;
}

class BundlePeriodDto {
  @ApiProperty({ nullable: true, type: String }) from!: string | null;
  @ApiProperty({ nullable: true, type: String }) to!: string | null;
  @ApiProperty({ nullable: true, type: String }) service!: string | null;
  @ApiProperty() asOf!: string;
}

/** change-ledger-evidence/v1, as docs/verification.md describes it. */
export class EvidenceBundleDto {
  @ApiProperty({ example: 'change-ledger-evidence/v1' }) format!: string;
  @ApiProperty({ format: 'date-time' }) generatedAt!: string;
  @ApiProperty({ example: 'ledger.example.com/changes' }) origin!: string;
  @ApiProperty({ type: BundleCheckpointDto }) checkpoint!: BundleCheckpointDto;
  @ApiProperty({ type: [String], description: 'Keys that signed the checkpoint (name+hexid)' })
  keyIds!: string[];
  @ApiPropertyOptional({ type: BundlePeriodDto, description: 'A period’s bundle: its period' })
  period?: BundlePeriodDto;
  @ApiProperty({ type: [ChangeEvidenceDto] }) changes!: ChangeEvidenceDto[];
}
