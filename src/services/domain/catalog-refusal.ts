import type { Refusal, Refused } from '../../kernel/refusal';

/** How a refusal maps onto the API: 404, 409 or 422, as for the change decider's refusals. */
export const CATALOG_REFUSAL_KINDS = {
  'service-not-found': 'not-found',
  'service-exists': 'conflict',
  'unknown-dependency': 'rule',
  'dependency-cycle': 'rule',
} as const;

export type CatalogRefusalCode = keyof typeof CATALOG_REFUSAL_KINDS;

/** A catalog command the decider refuses; `cycle` names the loop a dependency would close. */
export class CatalogRefusal extends Error implements Refused {
  override readonly name = 'CatalogRefusal';
  readonly kind: (typeof CATALOG_REFUSAL_KINDS)[CatalogRefusalCode];

  constructor(
    readonly code: CatalogRefusalCode,
    message: string,
    readonly cycle?: readonly string[],
  ) {
    super(message);
    this.kind = CATALOG_REFUSAL_KINDS[code];
  }

  get refusal(): Refusal {
    return { kind: this.kind, code: this.code, cycle: this.cycle };
  }
}
