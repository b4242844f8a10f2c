import 'reflect-metadata';
import { ApiKeysFileError } from './auth/api-key-registry';
import { OidcSetupError } from './auth/oidc/oidc-token-verifier';
import { ConfigError } from './config/config';
import { loadConfig } from './load-config';
import { createApp } from './create-app';
import { PolicyFileError } from './policy/policy-file/read-policy';
import { createLogger } from './observability/logger';

async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  // A promise that failed with nobody waiting for it (say, in a client library's background
  // reconnection) is a bug to report loudly, not a reason to stop recording changes. Node's
  // default would end the process; an exception thrown (not a rejection) still does.
  process.on('unhandledRejection', (reason) => {
    log.error({ err: reason }, 'unhandled promise rejection (a bug); the service keeps running');
  });
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
  const operators =
    error instanceof ConfigError ||
    error instanceof ApiKeysFileError ||
    error instanceof OidcSetupError ||
    error instanceof PolicyFileError;
  console.error(operators ? error.message : error);
  process.exit(1);
});
