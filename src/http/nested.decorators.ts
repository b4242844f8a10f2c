import { applyDecorators } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsDefined, IsObject, ValidateIf, ValidateNested } from 'class-validator';

type Constructor = new () => object;

/**
 * A nested object that must be there: `null`, `[]`, a string or a missing field are refused
 * with the field's name (a bare @ValidateNested lets them through), `{}` fails on its own
 * required fields.
 */
export const NestedObject = (type: () => Constructor) =>
  applyDecorators(
    IsDefined({ message: '$property is required' }),
    IsObject({ message: '$property must be a JSON object' }),
    ValidateNested(),
    Type(type),
  );

/**
 * A nested object that may be left out, and only left out: `null` and `[]` are not an absent
 * value passed off as a present one (@IsOptional would take `null` for absent).
 */
export const OptionalNestedObject = (type: () => Constructor) =>
  applyDecorators(
    ValidateIf((_, value) => value !== undefined),
    IsObject({ message: '$property must be a JSON object (leave it out when there is none)' }),
    ValidateNested(),
    Type(type),
  );
