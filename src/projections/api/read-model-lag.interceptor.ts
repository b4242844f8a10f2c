import {
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply } from 'fastify';
import { from, mergeMap, type Observable } from 'rxjs';
import { ProjectionRegistry } from '../projection-registry';
import { READ_MODELS } from '../read-model.decorator';

/** X-Read-Model-Lag-Events and -Seconds: the worst of the read models behind the answer. */
@Injectable()
export class ReadModelLagInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly projections: ProjectionRegistry,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const names = this.reflector.get<string[] | undefined>(READ_MODELS, context.getHandler());
    if (!names) return next.handle();
    return from(Promise.all(names.map((name) => this.projections.lag(name)))).pipe(
      mergeMap((lags) => {
        const reply = context.switchToHttp().getResponse<FastifyReply>();
        void reply.header('x-read-model-lag-events', Math.max(...lags.map((l) => l.events)));
        void reply.header(
          'x-read-model-lag-seconds',
          Math.max(...lags.map((l) => l.seconds)).toFixed(3),
        );
        return next.handle();
      }),
    );
  }
}
