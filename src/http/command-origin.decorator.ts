import { randomUUID } from 'node:crypto';
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { AuthenticatedRequest } from '../auth/access.decorators';
import type { CommandOrigin } from '../kernel/command-origin';
import { idempotencyKeyOf, REQUEST_TOKEN } from './idempotency/idempotency-key';

/**
 * Source, correlation id and idempotency key of an API call. A caller's X-Correlation-Id is
 * kept when sane; an Idempotency-Key makes a retried request answer with what the first one
 * recorded instead of recording twice (IdempotencyKeyInterceptor refuses it on another
 * request). Keys are scoped to the principal.
 */
export const ApiOrigin = createParamDecorator(
  (_: unknown, context: ExecutionContext): CommandOrigin => {
    const request = context
      .switchToHttp()
      .getRequest<
        AuthenticatedRequest & { headers: Record<string, string | string[] | undefined> }
      >();
    const correlation = request.headers['x-correlation-id'];
    const correlationId =
      typeof correlation === 'string' && REQUEST_TOKEN.test(correlation)
        ? correlation
        : randomUUID();
    const key = idempotencyKeyOf(request.headers);
    if (key === undefined) return { source: 'api', correlationId };
    return { source: 'api', correlationId, idempotencyKey: `${request.principal?.id}:${key}` };
  },
);
