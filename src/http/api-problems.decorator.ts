import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiResponse } from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE } from './problem';

class FieldProblemDto {
  @ApiProperty({ example: 'rollbackPlan.expectedMinutes' })
  field!: string;

  @ApiProperty({ example: 'expectedMinutes must be an integer number' })
  reason!: string;
}

export class ProblemDto {
  @ApiProperty({ example: 'urn:change-ledger:problem:invalid-request' })
  type!: string;

  @ApiProperty({ example: 'Bad Request' })
  title!: string;

  @ApiProperty({ example: 400 })
  status!: number;

  @ApiProperty({ example: 'title: title must be longer than or equal to 3 characters' })
  detail!: string;

  @ApiProperty({ example: 'invalid-request', description: 'Stable machine-readable reason' })
  code!: string;

  @ApiPropertyOptional({ example: '/changes' })
  instance?: string;

  @ApiPropertyOptional({ type: [FieldProblemDto] })
  errors?: FieldProblemDto[];
}

const PROBLEMS: Array<[number, string]> = [
  [400, 'Invalid input: every offending field with its reason'],
  [401, 'Missing or unknown API key'],
  [403, 'The key lacks the role this needs'],
  [404, 'No such change, event, checkpoint or tree size'],
  [409, 'The change is in a state that does not allow this, or a concurrent write won (retry)'],
  [413, 'Body too large'],
  [422, 'A rule refused it (self-approval, outside the window, …)'],
  [503, 'The store is unavailable (retry after Retry-After, with the same Idempotency-Key)'],
];

/** Documents the problem+json error responses every ledger route can give. */
export const ApiProblems = () =>
  applyDecorators(
    ...PROBLEMS.map(([status, description]) =>
      ApiResponse({
        status,
        description,
        content: {
          [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/ProblemDto' } },
        },
      }),
    ),
  );
