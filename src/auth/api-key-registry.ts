import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  confusablePrincipals,
  normalizePrincipalId,
  principalIdProblem,
  principalSkeleton,
  type NamedPrincipal,
} from './principal-id';
import { ROLES, type Principal, type Role } from '../kernel/principal';

export interface ApiKeyEntry {
  /** Normalized (NFKC, case-folded): the id recorded as the actor. */
  readonly principal: string;
  readonly roles: readonly Role[];
  readonly keySha256: string;
}

export class ApiKeysFileError extends Error {}

const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * Parses the API_KEYS_FILE content; keys are only ever held as SHA-256 hashes. Principal ids
 * are normalized, and a file naming one person twice (differently cased, or confusable with
 * another id, or with one of the `reserved` principals the service acts as) is refused.
 */
export function parseApiKeys(
  json: string,
  origin: string,
  reserved: readonly NamedPrincipal[] = [],
): ApiKeyEntry[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (error) {
    throw new ApiKeysFileError(`${origin}: not valid JSON (${(error as Error).message})`);
  }
  if (!Array.isArray(parsed)) throw new ApiKeysFileError(`${origin}: must be a JSON array`);
  const seen = new Set<string>();
  const named: NamedPrincipal[] = [...reserved];
  const entries = parsed.map((entry: unknown, index) => {
    const where = `${origin}[${index}]`;
    const { principal, roles, keySha256 } = (entry ?? {}) as Record<string, unknown>;
    if (typeof principal !== 'string' || principal.trim() === '') {
      throw new ApiKeysFileError(`${where}.principal must be a non-empty string`);
    }
    const idProblem = principalIdProblem(normalizePrincipalId(principal));
    if (idProblem) throw new ApiKeysFileError(`${where}.principal ${idProblem}`);
    named.push({ id: principal, where: `${where}.principal` });
    if (!Array.isArray(roles) || roles.length === 0) {
      throw new ApiKeysFileError(`${where}.roles must be a non-empty array`);
    }
    for (const role of roles) {
      if (!(ROLES as readonly unknown[]).includes(role)) {
        throw new ApiKeysFileError(`${where}.roles: unknown role ${JSON.stringify(role)}`);
      }
    }
    if (typeof keySha256 !== 'string' || !SHA256_HEX.test(keySha256.toLowerCase())) {
      throw new ApiKeysFileError(
        `${where}.keySha256 must be 64 hex characters (SHA-256 of the key)`,
      );
    }
    const hash = keySha256.toLowerCase();
    if (seen.has(hash)) throw new ApiKeysFileError(`${where}: the same key is listed twice`);
    seen.add(hash);
    return { principal: normalizePrincipalId(principal), roles: roles as Role[], keySha256: hash };
  });
  const problems = confusablePrincipals(named);
  if (problems.length > 0) throw new ApiKeysFileError(problems.join('\n  - '));
  return entries;
}

/** Who a bearer key belongs to. */
export class ApiKeyRegistry {
  private readonly byHash: ReadonlyMap<string, Principal>;
  private readonly bySkeleton: ReadonlyMap<string, string>;

  constructor(entries: readonly ApiKeyEntry[], reserved: readonly NamedPrincipal[] = []) {
    this.byHash = new Map(
      entries.map((e) => [e.keySha256, { id: e.principal, roles: e.roles }] as const),
    );
    const ids = [...entries.map((e) => e.principal), ...reserved.map((r) => r.id)];
    this.bySkeleton = new Map(ids.map((id) => [principalSkeleton(id), id] as const));
  }

  static fromFile(path: string, reserved: readonly NamedPrincipal[] = []): ApiKeyRegistry {
    let content: string;
    try {
      content = readFileSync(path, 'utf8');
    } catch (error) {
      throw new ApiKeysFileError(`${path}: cannot be read (${(error as Error).message})`);
    }
    return new ApiKeyRegistry(parseApiKeys(content, path, reserved), reserved);
  }

  /** The configured principal with this TR39 skeleton, if any. */
  principalLike(skeleton: string): string | undefined {
    return this.bySkeleton.get(skeleton);
  }

  authenticate(key: string): Principal | null {
    return this.byHash.get(createHash('sha256').update(key, 'utf8').digest('hex')) ?? null;
  }
}

export const API_KEY_REGISTRY = Symbol('ApiKeyRegistry');
