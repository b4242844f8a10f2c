import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** A ledger event as the API shows it: the envelope, its hash and its place in the feed. */
class EventMetadataDto {
  @ApiProperty() actor!: string;
  @ApiProperty({ example: 'api' }) source!: string;
  @ApiProperty() correlationId!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) causationId!: string | null;
  @ApiProperty({ format: 'date-time' }) occurredAt!: string;
  @ApiProperty({ example: 1 }) schemaVersion!: number;
}

export class RecordedEventDto {
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty({ example: 'change-6f1c…' }) streamId!: string;
  @ApiProperty() revision!: number;
  @ApiProperty({ example: 'ChangeRequested' }) type!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) data!: Record<string, unknown>;
  @ApiProperty({ type: EventMetadataDto }) metadata!: EventMetadataDto;
  @ApiProperty({ format: 'date-time' }) recordedAt!: string;
  @ApiProperty({ description: 'Hash of the previous event in the stream (zeros for the first)' })
  prevHash!: string;
  @ApiProperty() hash!: string;
  @ApiProperty({ description: 'Opaque position in the global feed' }) position!: string;
}
