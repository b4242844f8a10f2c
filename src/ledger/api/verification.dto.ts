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

export class VerificationDto {
  @ApiProperty({ description: 'True when every hash and link recomputes' }) intact!: boolean;
  @ApiPropertyOptional({ description: 'Events verified (before the break, if any)' })
  events?: number;
  @ApiPropertyOptional({ description: 'Streams seen (whole-log check)' }) streams?: number;
  @ApiPropertyOptional({ description: 'Last position verified (whole-log check)', nullable: true })
  lastPosition?: string | null;
  @ApiPropertyOptional({ type: BrokenLinkDto, description: 'The first broken link' })
  broken?: BrokenLinkDto;
}
