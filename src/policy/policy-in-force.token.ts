/** Injection token of the PolicyInForce this process was started with. */
export const POLICY_IN_FORCE = Symbol('PolicyInForce');
