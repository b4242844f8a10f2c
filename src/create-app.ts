import { randomUUID } from 'node:crypto';
import type { RawBodyRequest } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { AppModule } from './app.module';
import { Authenticator } from './auth/authenticator';
import { serveConsole } from './console/serve-console';
import type { Clock } from './common/clock';
import type { AppConfig } from './config/config';
import { ProblemDto } from './http/api-problems.decorator';
import { applyBrowserPolicy } from './http/security/browser-policy';
import { guardOperationalRoutes } from './http/security/operational-access';
import { limitRequestRates } from './http/security/rate-limits';
import { createLogger, PinoNestLogger } from './observability/logger';
import { Metrics } from './observability/metrics';

/** Builds the HTTP application; main.ts listens, tests use it in-process (with a clock they set). */
export async function createApp(config: AppConfig, clock?: Clock): Promise<NestFastifyApplication> {
  const logger = createLogger(config.logLevel);
  const adapter = new FastifyAdapter({
    bodyLimit: config.bodyLimitBytes,
    loggerInstance: logger,
    genReqId: () => randomUUID(),
    trustProxy: config.trustProxy,
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config, clock),
    adapter,
    {
      logger: new PinoNestLogger(logger),
      // Start-up failures reach the caller (main prints them and exits; tests see them).
      abortOnError: false,
      // Webhook signatures are computed over the exact bytes received.
      rawBody: true,
    },
  );
  const fastify = app.getHttpAdapter().getInstance();

  const authenticator = app.get(Authenticator);
  await applyBrowserPolicy(app, config.corsOrigins);
  await limitRequestRates(app, config.rateLimits, authenticator);
  guardOperationalRoutes(app, config, authenticator);

  const metrics = app.get(Metrics);
  fastify.addHook('onResponse', (request, reply, done) => {
    metrics.httpRequests.observe(
      {
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
    request.log.info(
      { method: request.method, url: request.url, status: reply.statusCode, ms: reply.elapsedTime },
      'request',
    );
    done();
  });

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('change-ledger')
      .setDescription(
        'Tamper-evident, event-sourced audit ledger for production changes. ' +
          'Send the API key as "Authorization: Bearer <key>". Errors are application/problem+json.',
      )
      .setVersion('0.1.0')
      .addBearerAuth()
      .build(),
    { extraModels: [ProblemDto] },
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/json' });
  await serveConsole(app);

  app.enableShutdownHooks();
  await app.init();
  // CloudEvents structured mode (CDEvents): kept as bytes, the ingest controller parses them.
  fastify.addContentTypeParser(
    'application/cloudevents+json',
    { parseAs: 'buffer', bodyLimit: config.bodyLimitBytes },
    (request: RawBodyRequest<FastifyRequest>, body: Buffer, done) => {
      request.rawBody = body;
      done(null, body);
    },
  );

  return app;
}
