import type { Principal } from '../kernel/principal';

/**
 * What the service records in its own name (a policy it loaded, an approval SLA that passed).
 * No API key or token maps to it, and it holds no role.
 */
export const SYSTEM_PRINCIPAL: Principal = { id: 'system:change-ledger', roles: [] };
