import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';

const NAME = /^[a-z0-9][a-z0-9._-]{0,99}$/;
const NAME_RULE = { message: 'must be 1 to 100 lower-case letters, digits, ".", "_" or "-"' };
const INSTANT = { strict: true, strictSeparator: true } as const;

export class DeclareFreezeDto {
  @ApiProperty({ example: 'Payments database migration: nothing else touches payments' })
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  reason!: string;

  @ApiProperty({ example: '2026-12-10T00:00:00Z' })
  @IsISO8601(INSTANT)
  start!: string;

  @ApiProperty({ example: '2026-12-11T00:00:00Z' })
  @IsISO8601(INSTANT)
  end!: string;

  @ApiPropertyOptional({
    type: [String],
    example: ['production'],
    description: 'Absent: every environment',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @Matches(NAME, { each: true, ...NAME_RULE })
  environments?: string[];

  @ApiPropertyOptional({
    type: [String],
    example: ['payments'],
    description: 'Absent: every service',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @Matches(NAME, { each: true, ...NAME_RULE })
  services?: string[];
}

export class EndFreezeDto {
  @ApiPropertyOptional({ example: 'migration finished early' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  reason?: string;
}

export class FreezeIdParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  id!: string;
}

export class FreezeListQuery {
  @ApiPropertyOptional({
    example: '2026-12-10T12:00:00Z',
    description: 'Only freezes in force at this instant; absent: freezes not over yet',
  })
  @IsOptional()
  @IsISO8601(INSTANT)
  activeAt?: string;
}

export class FreezeDto {
  @ApiProperty({ format: 'uuid' }) freezeId!: string;
  @ApiProperty() reason!: string;
  @ApiProperty() start!: string;
  @ApiProperty({ description: 'The time it was ended, when ended early' }) end!: string;
  @ApiPropertyOptional({ type: [String] }) environments?: string[];
  @ApiPropertyOptional({ type: [String] }) services?: string[];
  @ApiProperty() declaredBy!: string;
  @ApiProperty() at!: string;
  @ApiPropertyOptional() endedAt?: string;
  @ApiPropertyOptional() endedBy?: string;
}

export class FreezeCommandResultDto {
  @ApiProperty({ type: FreezeDto }) freeze!: FreezeDto;
  @ApiProperty({ description: 'The freezes stream revision after the command' }) revision!: number;
}

export class FreezeListDto {
  @ApiProperty({ type: [FreezeDto] }) freezes!: FreezeDto[];
}
