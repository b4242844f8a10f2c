import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

/** A list query's `limit`: optional, a whole number from 1 to `max`, `fallback` when absent. */
export const PageLimit = (fallback: number, max: number) =>
  applyDecorators(
    ApiPropertyOptional({ default: fallback, minimum: 1, maximum: max }),
    IsOptional(),
    Type(() => Number),
    IsInt(),
    Min(1),
    Max(max),
  );
