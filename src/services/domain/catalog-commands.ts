import type { Principal } from '../../kernel/principal';
import type { ServiceDefinition } from './catalog-events';

interface CatalogCommandBase {
  readonly service: ServiceDefinition;
  readonly actor: Principal;
  /** ISO-8601 instant the command came in with: the decider never reads a clock. */
  readonly at: string;
}

export interface RegisterService extends CatalogCommandBase {
  readonly kind: 'RegisterService';
}

/** Replaces the owner, tier and dependencies of a registered service. */
export interface UpdateService extends CatalogCommandBase {
  readonly kind: 'UpdateService';
}

export type CatalogCommand = RegisterService | UpdateService;
