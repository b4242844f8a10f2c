import { ConfigError } from '../config/config';

export interface DeliverySettings {
  /** DELIVERY_ENVIRONMENT: the environment whose deployments count (default production). */
  readonly environment: string;
}

const ENVIRONMENT = /^[a-z0-9][a-z0-9._-]{0,49}$/;

export function loadDeliverySettings(env: NodeJS.ProcessEnv): DeliverySettings {
  const raw = env.DELIVERY_ENVIRONMENT?.trim();
  if (raw === undefined || raw === '') return { environment: 'production' };
  if (!ENVIRONMENT.test(raw)) {
    throw new ConfigError([
      `DELIVERY_ENVIRONMENT must be an environment name like "production", got ${JSON.stringify(raw)}`,
    ]);
  }
  return { environment: raw };
}

export const DELIVERY_SETTINGS = Symbol('DeliverySettings');
