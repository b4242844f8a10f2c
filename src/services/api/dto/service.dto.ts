import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { SERVICE_TIERS, type ServiceTier } from '../../domain/catalog-events';
import { MAX_DEPENDENCY_DEPTH } from '../../read-model/dependency-edges';

/** Ingest lower-cases service names, so the catalog only holds names it can match. */
const SERVICE_NAME = /^[a-z0-9][a-z0-9._-]{0,99}$/;
const SERVICE_NAME_RULE = {
  message:
    'must be 1 to 100 lower-case letters, digits, ".", "_" or "-", starting with a letter or digit',
};

/** What PUT /services/{name} replaces. */
export class ServiceFieldsDto {
  @ApiProperty({ example: 'payments-team', description: 'The owning team' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  owner!: string;

  @ApiProperty({ enum: SERVICE_TIERS, description: '1 is the most critical' })
  @IsIn(SERVICE_TIERS)
  tier!: ServiceTier;

  @ApiProperty({
    type: [String],
    example: ['ledger'],
    description: 'Registered services this one calls; a cycle is refused (422)',
  })
  @IsArray()
  @ArrayMaxSize(200)
  @Matches(SERVICE_NAME, { each: true, ...SERVICE_NAME_RULE })
  dependsOn!: string[];
}

export class RegisterServiceDto extends ServiceFieldsDto {
  @ApiProperty({ example: 'payments' })
  @Matches(SERVICE_NAME, SERVICE_NAME_RULE)
  name!: string;
}

export class ServiceNameParams {
  @ApiProperty({ example: 'payments' })
  @Matches(SERVICE_NAME, SERVICE_NAME_RULE)
  name!: string;
}

export class ListServicesQuery {
  @ApiPropertyOptional({ example: 'payments-team', description: 'Only the services of this team' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  owner?: string;
}

export class DependencyDepthQuery {
  @ApiPropertyOptional({ default: MAX_DEPENDENCY_DEPTH, minimum: 1, maximum: MAX_DEPENDENCY_DEPTH })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_DEPENDENCY_DEPTH)
  depth: number = MAX_DEPENDENCY_DEPTH;
}

export class ServiceDto {
  @ApiProperty({ example: 'payments' }) name!: string;
  @ApiProperty({ example: 'payments-team' }) owner!: string;
  @ApiProperty({ enum: SERVICE_TIERS }) tier!: ServiceTier;
  @ApiProperty({ type: [String], description: 'Sorted' }) dependsOn!: string[];
  @ApiProperty({ format: 'date-time' }) registeredAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class ServiceListDto {
  @ApiProperty({ type: [ServiceDto] }) items!: ServiceDto[];
}

export class CatalogCommandResultDto {
  @ApiProperty({ type: ServiceDto }) service!: ServiceDto;
  @ApiProperty({ description: 'Revision of the catalog stream after the command' })
  catalogRevision!: number;
  @ApiProperty({ description: 'False when nothing changed (or an Idempotency-Key was repeated)' })
  recorded!: boolean;
}

class RelatedServiceDto {
  @ApiProperty({ example: 'ledger' }) service!: string;
  @ApiProperty({ example: 2, description: 'Edges away on a shortest path' }) depth!: number;
  @ApiProperty({ type: [String], example: ['checkout', 'payments', 'ledger'] }) path!: string[];
  @ApiProperty() owner!: string;
  @ApiProperty({ enum: SERVICE_TIERS }) tier!: ServiceTier;
}

export class ServiceGraphDto {
  @ApiProperty({ example: 'checkout' }) service!: string;
  @ApiProperty({ enum: ['upstream', 'downstream'] }) direction!: string;
  @ApiProperty({ description: 'The depth walked' }) depth!: number;
  @ApiProperty({ type: [RelatedServiceDto], description: 'Nearest first, then by name' })
  services!: RelatedServiceDto[];
}
