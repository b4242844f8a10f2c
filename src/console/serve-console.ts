import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { PROBLEM_CONTENT_TYPE, problemType } from '../http/problem';

/** Where `npm run build:ui` puts the console: dist/ui, whether this runs from src/ or dist/. */
export const CONSOLE_ROOT = resolve(__dirname, '..', '..', 'dist', 'ui');

/**
 * The web console (web/, built by Vite) at /ui, from the same server as the API: its pages
 * call the API with the signed-in key, so every rule holds exactly as over HTTP. Routes live
 * in the URL's fragment, so /ui/ is the only page the server has to know.
 */
export async function serveConsole(
  app: NestFastifyApplication,
  root: string = CONSOLE_ROOT,
): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();
  if (!existsSync(join(root, 'index.html'))) {
    fastify.get('/ui', (request, reply) =>
      reply
        .code(404)
        .type(PROBLEM_CONTENT_TYPE)
        .send({
          type: problemType('console-not-built'),
          title: 'Not Found',
          status: 404,
          code: 'console-not-built',
          detail: 'the console is not built: run "npm run build" first',
          instance: request.url,
        }),
    );
    return;
  }
  await app.register(fastifyStatic, { root, prefix: '/ui/', decorateReply: false });
  fastify.get('/ui', (_request, reply) => reply.redirect('/ui/', 302));
}
