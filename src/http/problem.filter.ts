import {
  Catch,
  HttpException,
  Logger,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isRefused, type RefusalKind } from '../kernel/refusal';
import { IdempotencyKeyReused } from './idempotency/idempotency-key.interceptor';
import { InvalidRequest, PROBLEM_CONTENT_TYPE, problemType, type ProblemFields } from './problem';

const HTTP_TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** Codes for the errors the framework raises itself (routing, guards, body parsing). */
const HTTP_CODES: Record<number, string> = {
  400: 'bad-request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not-found',
  405: 'method-not-allowed',
  413: 'body-too-large',
  415: 'unsupported-media-type',
  429: 'rate-limited',
};

const REFUSAL_STATUS: Record<RefusalKind, number> = {
  invalid: 400,
  'not-found': 404,
  conflict: 409,
  rule: 422,
  unavailable: 503,
};

function titled(
  status: number,
  code: string,
  detail: string,
  extra: Pick<ProblemFields, 'errors' | 'actualRevision' | 'cycle'> = {},
): ProblemFields {
  return { title: HTTP_TITLES[status] ?? 'Error', status, code, detail, ...extra };
}

export function toProblem(error: unknown): ProblemFields {
  if (error instanceof InvalidRequest) {
    return titled(400, 'invalid-request', error.message, { errors: error.errors });
  }
  if (error instanceof IdempotencyKeyReused) {
    return titled(422, 'idempotency-key-reused', error.message, {
      errors: [{ field: 'Idempotency-Key', reason: 'was first used for another request' }],
    });
  }
  if (isRefused(error)) {
    const { kind, code, detail, fields, actualRevision, cycle } = error.refusal;
    return titled(REFUSAL_STATUS[kind], code, detail ?? error.message, {
      ...(fields === undefined ? {} : { errors: fields }),
      ...(actualRevision === undefined ? {} : { actualRevision }),
      ...(cycle === undefined ? {} : { cycle }),
    });
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const body = error.getResponse();
    const message = typeof body === 'string' ? body : (body as { message?: unknown }).message;
    const detail =
      typeof message === 'string'
        ? message
        : Array.isArray(message)
          ? message.join('; ')
          : error.message;
    return titled(status, HTTP_CODES[status] ?? `http-${status}`, detail);
  }
  return titled(500, 'internal-error', 'an unexpected error occurred');
}

/** Seconds a client is asked to wait before retrying while the store is unavailable. */
const RETRY_AFTER_SECONDS = '1';

/** Every error leaves as application/problem+json (RFC 9457); only our bugs become a 500. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const problem = toProblem(error);
    const reply = http.getResponse<FastifyReply>();
    if (problem.status === 503) {
      // An outage, not a bug: one line per refused request, and the client told when to retry.
      this.logger.warn(`${request.url}: ${problem.detail}`);
      void reply.header('retry-after', RETRY_AFTER_SECONDS);
    } else if (problem.status >= 500) {
      this.logger.error(error instanceof Error ? error.stack : String(error), request.url);
    }
    void reply
      .status(problem.status)
      .header('content-type', PROBLEM_CONTENT_TYPE)
      .send({ type: problemType(problem.code), instance: request.url, ...problem });
  }
}
