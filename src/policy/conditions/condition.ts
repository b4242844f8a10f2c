import { celEnv, isCelError, parse, plan, type CelInput } from '@bufbuild/cel';

/** What a condition can read: `change`, `facts` and, for routing, `risk` (condition-variables.ts). */
export type ConditionVariables = Record<string, CelInput>;

/** A CEL expression from the policy, parsed once; it must evaluate to true or false. */
export interface Condition {
  readonly source: string;
  holds(variables: ConditionVariables): boolean;
}

/** A condition that cannot be parsed, or that does not evaluate to a boolean. */
export class ConditionError extends Error {
  override readonly name = 'ConditionError';
}

const env = celEnv();

/** Parses a CEL expression; a syntax error is a ConditionError naming where it is. */
export function compileCondition(source: string): Condition {
  let evaluate: ReturnType<typeof plan>;
  try {
    evaluate = plan(env, parse(source));
  } catch (error) {
    throw new ConditionError(`not a CEL expression: ${(error as Error).message}`);
  }
  return {
    source,
    holds(variables) {
      const result = evaluate(variables);
      if (isCelError(result)) {
        throw new ConditionError(`"${source}" could not be evaluated: ${result.message}`);
      }
      if (typeof result !== 'boolean') {
        throw new ConditionError(`"${source}" must be true or false, not a ${typeof result}`);
      }
      return result;
    },
  };
}
