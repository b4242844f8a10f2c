import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PROBLEM_CONTENT_TYPE, problemType } from '../../http/problem';
import { CatalogRefusal } from '../domain/catalog-refusal';

const STATUS = {
  'not-found': [404, 'Not Found'],
  conflict: [409, 'Conflict'],
  rule: [422, 'Unprocessable Content'],
} as const;

/**
 * The catalog decider's refusals as problem+json, in the shape of every other refusal, with
 * the loop (`cycle`) when a dependency would close one.
 */
@Catch(CatalogRefusal)
export class CatalogRefusalFilter implements ExceptionFilter {
  catch(error: CatalogRefusal, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const [status, title] = STATUS[error.kind];
    void http
      .getResponse<FastifyReply>()
      .status(status)
      .header('content-type', PROBLEM_CONTENT_TYPE)
      .send({
        type: problemType(error.code),
        instance: http.getRequest<FastifyRequest>().url,
        title,
        status,
        code: error.code,
        detail: error.message,
        cycle: error.cycle,
      });
  }
}
