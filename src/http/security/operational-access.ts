import { UnauthorizedException } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import type { Authentication, Authenticator } from '../../auth/authenticator';
import type { AppConfig } from '../../config/config';

const BASIC = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i;

/**
 * Bearer as on every route, or HTTP Basic with the key (or token) as the password, which a
 * browser asks for by itself on /docs and Prometheus's basic_auth sends.
 */
function authenticate(
  authenticator: Authenticator,
  request: FastifyRequest,
): Promise<Authentication> {
  const basic = BASIC.exec(request.headers.authorization ?? '');
  if (basic === null) return authenticator.authenticate(request);
  const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
  return authenticator.credential(decoded.slice(decoded.indexOf(':') + 1));
}

/**
 * /metrics and /docs are public unless METRICS_ACCESS or DOCS_ACCESS is `key`: then any valid
 * key or token opens them (whatever its roles), and a browser is asked for one.
 */
export function guardOperationalRoutes(
  app: NestFastifyApplication,
  config: Pick<AppConfig, 'metricsAccess' | 'docsAccess'>,
  authenticator: Authenticator,
): void {
  const guarded = [
    ...(config.metricsAccess === 'key' ? ['/metrics'] : []),
    ...(config.docsAccess === 'key' ? ['/docs'] : []),
  ];
  if (guarded.length === 0) return;
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRequest', async (request, reply) => {
    const path = request.url.split('?')[0];
    if (!guarded.some((prefix) => path === prefix || path.startsWith(`${prefix}/`))) return;
    const authentication = await authenticate(authenticator, request);
    if ('principal' in authentication) return;
    void reply.header('www-authenticate', 'Basic realm="change-ledger", charset="UTF-8"');
    throw new UnauthorizedException(
      'refused' in authentication
        ? authentication.refused
        : `${path} needs a key: "Authorization: Bearer <key>", or the key as the Basic password`,
    );
  });
}
