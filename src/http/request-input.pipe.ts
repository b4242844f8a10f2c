import { Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { inputProblems } from '../common/input-limits';
import { InvalidRequest } from './problem';
import { strictValidationPipe } from './validation';

const CHECKED = new Set<ArgumentMetadata['type']>(['body', 'query', 'param']);

/**
 * The global pipe: bounds what any route takes (nesting depth, string lengths, NUL and lone
 * surrogates) before anything walks it, so no input can overflow a stack or reach PostgreSQL
 * in a form it refuses; then the strict DTO validation. Routes added later get both.
 */
@Injectable()
export class RequestInputPipe implements PipeTransform {
  private readonly validation = strictValidationPipe();

  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (!CHECKED.has(metadata.type)) return this.validation.transform(value, metadata);
    const root = metadata.type === 'param' ? (metadata.data ?? '') : '';
    const problems = inputProblems(value, root);
    if (
      metadata.type === 'body' &&
      typeof metadata.metatype === 'function' &&
      metadata.metatype !== Object &&
      (typeof value !== 'object' || value === null || Array.isArray(value))
    ) {
      problems.push({ field: 'body', reason: 'must be a JSON object' });
    }
    if (problems.length > 0) throw new InvalidRequest(problems);
    return this.validation.transform(value, metadata);
  }
}
