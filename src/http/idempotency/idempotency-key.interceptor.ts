import { createHash } from 'node:crypto';
import {
  Injectable,
  UnprocessableEntityException,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import canonicalize from 'canonicalize';
import { from, lastValueFrom, type Observable } from 'rxjs';
import type { AuthenticatedRequest } from '../../auth/access.decorators';
import { inputProblems } from '../../common/input-limits';
import { IDEMPOTENCY_KEY, idempotencyKeyOf } from './idempotency-key';
import { IdempotencyKeys } from './idempotency-keys';

interface KeyedRequest extends AuthenticatedRequest {
  readonly method: string;
  readonly url: string;
  readonly body: unknown;
  readonly headers: Record<string, string | string[] | undefined>;
}

/** The request's identity: method, path (with its ids) and body in canonical JSON. */
function fingerprintOf(request: KeyedRequest): string {
  const path = request.url.split('?')[0];
  const body = request.body === undefined ? null : request.body;
  return createHash('sha256')
    .update(canonicalize({ method: request.method, path, body }) as string)
    .digest('hex');
}

/** Refused: the key was first used for another request. */
export class IdempotencyKeyReused extends UnprocessableEntityException {}

/**
 * An Idempotency-Key means one request. The key is bound to the first request that uses it
 * (for the principal); retrying that request answers with what it recorded, while the same key
 * on another route or with another body is refused with 422 instead of answered with the first
 * result. A request that fails (invalid, refused) frees the key again.
 */
@Injectable()
export class IdempotencyKeyInterceptor implements NestInterceptor {
  constructor(private readonly keys: IdempotencyKeys) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<KeyedRequest>();
    const key = idempotencyKeyOf(request.headers);
    // Unauthenticated routes carry no key; bodies the pipe will refuse are not fingerprinted.
    if (key === undefined || !request.principal || inputProblems(request.body).length > 0) {
      return next.handle();
    }
    const principal = request.principal.id;
    return from(this.run(principal, key, request, next));
  }

  private async run(
    principal: string,
    key: string,
    request: KeyedRequest,
    next: CallHandler,
  ): Promise<unknown> {
    const fingerprint = fingerprintOf(request);
    const path = request.url.split('?')[0];
    const bound = await this.keys.claim(principal, key, {
      method: request.method,
      path,
      fingerprint,
    });
    if (typeof bound === 'object') {
      throw new IdempotencyKeyReused(
        `${IDEMPOTENCY_KEY} ${JSON.stringify(key)} was first used for another request ` +
          `(${bound.method} ${bound.path}${bound.path === path ? ' with another body' : ''}); ` +
          'use a new key for a new request',
      );
    }
    try {
      return await lastValueFrom(next.handle(), { defaultValue: undefined });
    } catch (error) {
      if (bound === 'claimed') await this.keys.release(principal, key, fingerprint);
      throw error;
    }
  }
}
