import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';

/** A tree size or leaf index in a query: a whole number, from `minimum`. */
function TreeNumber(options: ApiPropertyOptions & { minimum: number; optional?: boolean }) {
  const { optional = false, ...property } = options;
  return applyDecorators(
    ...(optional ? [ApiPropertyOptional(property), IsOptional()] : [ApiProperty(property)]),
    Type(() => Number),
    IsInt(),
    Min(options.minimum),
    Max(Number.MAX_SAFE_INTEGER),
  );
}

export class CheckpointQuery {
  @TreeNumber({ description: 'Tree size of the checkpoint', minimum: 0 })
  size!: number;
}

export class InclusionProofQuery {
  @ApiProperty({ format: 'uuid', description: 'The ledger event' })
  @IsUUID()
  eventId!: string;

  @TreeNumber({
    description: 'Size of the tree to prove inclusion in (default: the latest checkpoint)',
    minimum: 1,
    optional: true,
  })
  treeSize?: number;
}

export class ConsistencyProofQuery {
  @TreeNumber({ description: 'The older tree size (e.g. of a checkpoint you saved)', minimum: 0 })
  from!: number;

  @TreeNumber({
    description: 'The newer tree size (default: the latest checkpoint)',
    minimum: 0,
    optional: true,
  })
  to?: number;
}

export class EntriesQuery {
  @TreeNumber({ description: 'First leaf index', default: 0, minimum: 0, optional: true })
  start: number = 0;

  @TreeNumber({
    description: 'Leaf index to stop before (default: the tree size)',
    minimum: 0,
    optional: true,
  })
  end?: number;
}

export class InclusionProofDto {
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty({ description: 'The event’s leaf index: its place in the global order' })
  leafIndex!: number;
  @ApiProperty() treeSize!: number;
  @ApiProperty({ description: 'The leaf hash, base64 (recompute it from the event)' })
  leafHash!: string;
  @ApiProperty({ type: [String], description: 'RFC 9162 inclusion path, base64, leaf upward' })
  hashes!: string[];
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'The signed checkpoint of treeSize, if one was signed: verify against its root',
  })
  checkpoint!: string | null;
}

export class ConsistencyProofDto {
  @ApiProperty() from!: number;
  @ApiProperty() to!: number;
  @ApiProperty({ type: [String], description: 'RFC 9162 consistency proof, base64' })
  hashes!: string[];
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'The signed checkpoint of `to`, if one was signed',
  })
  checkpoint!: string | null;
}

class VerificationKeyDto {
  @ApiProperty({ example: 'ledger.example.com/changes+4f2a7c10' }) keyId!: string;
  @ApiProperty({ description: 'C2SP signed-note verifier key (vkey)' }) verifierKey!: string;
  @ApiProperty({ description: 'True for the key signing new checkpoints' }) signing!: boolean;
}

class WitnessKeyDto {
  @ApiProperty() keyId!: string;
  @ApiProperty({ description: 'cosignature/v1 verifier key' }) verifierKey!: string;
  @ApiProperty({ description: 'Its add-checkpoint submission prefix' }) url!: string;
}

export class LedgerKeysDto {
  @ApiProperty({ example: 'ledger.example.com/changes' }) origin!: string;
  @ApiProperty({ type: [VerificationKeyDto] }) keys!: VerificationKeyDto[];
  @ApiProperty({ type: [WitnessKeyDto] }) witnesses!: WitnessKeyDto[];
}
