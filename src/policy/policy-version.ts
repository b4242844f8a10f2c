/** Recorded in every decision made under the built-in rules, until the YAML policy replaces them. */
export const BUILTIN_POLICY_VERSION = 'builtin-1';
