import rateLimit from '@fastify/rate-limit';
import { HttpException, HttpStatus } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import type { Authenticator } from '../../auth/authenticator';
import type { RateLimits } from '../../config/config';

const WINDOW_MS = 60_000;

type Limiter = (request: FastifyRequest) => Promise<{
  readonly isAllowed: boolean;
  readonly isExceeded?: boolean;
  readonly ttlInSeconds?: number;
}>;

/** Too many requests in the window; the caller may retry after `retryAfterSeconds`. */
export class RateLimited extends HttpException {
  constructor(
    readonly retryAfterSeconds: number,
    by: 'principal' | 'address',
  ) {
    super(
      `too many requests from this ${by}; retry after ${retryAfterSeconds} s`,
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}

/**
 * Requests per minute, per client address (every request, signed in or not, so guessing keys
 * is slow too) and per authenticated principal (however many addresses it calls from). Over
 * either limit: 429 problem+json with Retry-After. Counted in this process's memory: behind a
 * load balancer each instance limits on its own.
 */
export async function limitRequestRates(
  app: NestFastifyApplication,
  limits: RateLimits,
  authenticator: Authenticator,
): Promise<void> {
  if (limits.perAddress === 0 && limits.perPrincipal === 0) return;
  const fastify = app.getHttpAdapter().getInstance();
  await app.register(rateLimit, { global: false });
  const limiter = (max: number, key: (request: FastifyRequest) => Promise<string | null>) => {
    if (max === 0) return null;
    const limit = fastify.createRateLimit({
      max,
      timeWindow: WINDOW_MS,
      keyGenerator: async (request: FastifyRequest) => (await key(request)) ?? '',
      // Requests without a principal are limited by address alone.
      allowList: (_: FastifyRequest, id: string) => id === '',
    }) as Limiter;
    return limit;
  };
  const checks: Array<[Limiter | null, 'address' | 'principal']> = [
    [limiter(limits.perAddress, (request) => Promise.resolve(`address:${request.ip}`)), 'address'],
    [
      limiter(limits.perPrincipal, async (request) => {
        const authentication = await authenticator.authenticate(request);
        return 'principal' in authentication ? `principal:${authentication.principal.id}` : null;
      }),
      'principal',
    ],
  ];
  fastify.addHook('onRequest', async (request, reply) => {
    for (const [limit, by] of checks) {
      const verdict = limit === null ? null : await limit(request);
      if (verdict && !verdict.isAllowed && verdict.isExceeded) {
        const retryAfter = Math.max(1, verdict.ttlInSeconds ?? 1);
        void reply.header('retry-after', String(retryAfter));
        throw new RateLimited(retryAfter, by);
      }
    }
  });
}
