import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';

// Documentation only: the controller returns the policy documents and reports these describe.

export class PolicyInForceDto {
  @ApiProperty({ example: 'sha256:20b89a…', description: 'SHA-256 of the canonical document' })
  version!: string;
  @ApiProperty({ example: 'default' }) name!: string;
  @ApiProperty({ description: 'The file it was read from' }) source!: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'The whole policy, defaults filled in (docs/policy.md explains every field)',
  })
  document!: Record<string, unknown>;
}

export class PolicyLoadDto {
  @ApiProperty() version!: string;
  @ApiProperty() name!: string;
  @ApiProperty() source!: string;
  @ApiProperty({ description: 'The instance that loaded it' }) host!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ description: 'Revision on the policy stream' }) revision!: number;
  @ApiProperty() position!: string;
}

export class PolicyVersionParams {
  @ApiProperty({ example: 'sha256:20b89a…' })
  @Matches(/^sha256:[0-9a-f]{64}$/, { message: 'version must be sha256: and 64 hex digits' })
  version!: string;
}
