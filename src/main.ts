import 'reflect-metadata';
import { ConfigError, loadConfig } from './config/config';
import { createApp } from './create-app';
import { PolicyFileError } from './policy/policy-file/read-policy';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createApp(config);
  await app.listen({ port: config.port, host: config.host });
  app
    .getHttpAdapter()
    .getInstance()
    .log.info(
      { url: `http://${config.host}:${config.port}`, store: config.eventStore },
      'change-ledger listening; OpenAPI at /docs',
    );
}

main().catch((error: unknown) => {
  // Configuration problems are the operator's to fix: say exactly what, without a stack.
  const theirs = error instanceof ConfigError || error instanceof PolicyFileError;
  console.error(theirs ? error.message : error);
  process.exit(1);
});
