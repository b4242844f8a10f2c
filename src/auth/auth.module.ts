import { Global, Logger, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { join } from 'node:path';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { API_KEY_REGISTRY, ApiKeyRegistry } from './api-key-registry';
import { MeController } from './api/me.controller';
import { SignInOptionsController } from './api/sign-in-options.controller';
import { ApiKeyGuard } from './api-key.guard';
import { Authenticator, OIDC_VERIFIER } from './authenticator';
import { OidcTokenVerifier } from './oidc/oidc-token-verifier';
import { servicePrincipals } from './service-principals';

/** Shipped with the repository for the walk-throughs of the README and docs/api.md; refused in production. */
export const DEMO_API_KEYS_FILE = join(__dirname, '..', '..', 'config', 'demo-api-keys.json');

@Global()
@Module({
  controllers: [MeController, SignInOptionsController],
  providers: [
    {
      provide: API_KEY_REGISTRY,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => {
        if (config.apiKeysFile === null) {
          new Logger('auth').warn(
            'API_KEYS_FILE is not set: using the PUBLIC demo keys from config/demo-api-keys.json',
          );
        }
        return ApiKeyRegistry.fromFile(
          config.apiKeysFile ?? DEMO_API_KEYS_FILE,
          servicePrincipals(config),
        );
      },
    },
    {
      provide: OIDC_VERIFIER,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        config.oidc === null ? null : OidcTokenVerifier.open(config.oidc),
    },
    Authenticator,
    { provide: APP_GUARD, useClass: ApiKeyGuard },
  ],
  exports: [Authenticator],
})
export class AuthModule {}
