import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/**
 * Security headers on every response (@fastify/helmet): a content security policy that lets
 * the OpenAPI UI at /docs run its own scripts and styles and nothing else, no framing, no
 * MIME sniffing, HSTS. CORS is off (no CORS header at all, so browsers refuse cross-origin
 * calls) unless CORS_ORIGINS names the origins allowed.
 */
export async function applyBrowserPolicy(
  app: NestFastifyApplication,
  corsOrigins: readonly string[],
): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // Swagger UI sets styles inline.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        // Helmet's default would make browsers fetch /docs' scripts over https on a plain-http
        // deployment (a local one, or TLS ending at a proxy that rewrites nothing): none.
        upgradeInsecureRequests: null,
      },
    },
  });
  if (corsOrigins.length === 0) return;
  await app.register(cors, {
    origin: [...corsOrigins],
    methods: ['GET', 'POST', 'PUT', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'X-Correlation-Id'],
    exposedHeaders: ['Retry-After', 'X-Read-Model-Lag-Events', 'X-Read-Model-Lag-Seconds'],
    maxAge: 600,
  });
}
