import { randomUUID } from 'node:crypto';
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { CommandOrigin } from '../changes/application/execute-change-command';

const CORRELATION_ID = /^[\w.:-]{1,128}$/;

/** Source and correlation id of an API call; a caller's X-Correlation-Id is kept when sane. */
export const ApiOrigin = createParamDecorator(
  (_: unknown, context: ExecutionContext): CommandOrigin => {
    const request = context
      .switchToHttp()
      .getRequest<{ headers: Record<string, string | string[] | undefined> }>();
    const given = request.headers['x-correlation-id'];
    const correlationId =
      typeof given === 'string' && CORRELATION_ID.test(given) ? given : randomUUID();
    return { source: 'api', correlationId };
  },
);
