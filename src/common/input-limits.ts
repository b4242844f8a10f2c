/** Bounds every value taken from outside (request bodies, queries, path parameters, messages). */
export interface InputLimits {
  /** Nesting levels of objects and arrays; deeper input would exhaust the stack downstream. */
  readonly maxDepth: number;
  /** Characters of any one string (UTF-16 code units), unless a field allows fewer. */
  readonly maxStringLength: number;
  /** Characters of an object key. */
  readonly maxKeyLength: number;
}

export const INPUT_LIMITS: InputLimits = {
  maxDepth: 32,
  maxStringLength: 10_000,
  maxKeyLength: 200,
};

export interface InputProblem {
  readonly field: string;
  readonly reason: string;
}

/** Enough to say what is wrong without walking the rest of a hostile input. */
const MAX_PROBLEMS = 20;

/** A UTF-16 surrogate without its pair: not a character, and PostgreSQL cannot store it. */
export const LONE_SURROGATE =
  /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Why `text` cannot be taken as given, or null. NUL and lone UTF-16 surrogates are refused,
 * never silently replaced: PostgreSQL cannot store either, and the ledger keeps exactly what
 * was said or nothing.
 */
export function textProblem(text: string, maxLength: number): string | null {
  if (text.length > maxLength) return `must be at most ${maxLength} characters`;
  if (text.includes('\u0000')) return 'must not contain a NUL (U+0000) character';
  if (LONE_SURROGATE.test(text)) return 'must be valid Unicode (it holds a lone UTF-16 surrogate)';
  return null;
}

function child(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path === '' ? key : `${path}.${key}`;
}

/**
 * Every problem of `value` against the limits, by field path (`rollbackPlan.steps[2]`). Walks
 * with an explicit stack, so no input, however deep, can overflow the call stack here.
 */
export function inputProblems(
  value: unknown,
  root = '',
  limits: InputLimits = INPUT_LIMITS,
): InputProblem[] {
  const problems: InputProblem[] = [];
  const stack: Array<{ value: unknown; path: string; depth: number }> = [
    { value, path: root, depth: 0 },
  ];
  while (stack.length > 0 && problems.length < MAX_PROBLEMS) {
    const { value: item, path, depth } = stack.pop() as (typeof stack)[number];
    if (typeof item === 'string') {
      const reason = textProblem(item, limits.maxStringLength);
      if (reason) problems.push({ field: path || 'body', reason });
      continue;
    }
    if (typeof item !== 'object' || item === null) continue;
    if (depth >= limits.maxDepth) {
      problems.push({
        field: path || 'body',
        reason: `must not be nested more than ${limits.maxDepth} levels deep`,
      });
      continue;
    }
    const entries: Array<[string | number, unknown]> = Array.isArray(item)
      ? item.map((element, index) => [index, element])
      : Object.entries(item);
    for (const [key, element] of entries) {
      if (typeof key === 'string') {
        const reason = textProblem(key, limits.maxKeyLength);
        if (reason) {
          problems.push({ field: child(path, key.slice(0, 50)), reason: `key ${reason}` });
          continue;
        }
      }
      stack.push({ value: element, path: child(path, key), depth: depth + 1 });
    }
  }
  return problems;
}
