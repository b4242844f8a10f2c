import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import { normalizePrincipalId, principalIdProblem } from '../principal-id';
import type { Principal, Role } from '../../kernel/principal';
import type { OidcConfig } from './oidc-config';

/** Asymmetric algorithms only: a shared-secret (HS*) or unsigned token is never accepted. */
const ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
];

/** The provider cannot be used as configured; the service does not start. */
export class OidcSetupError extends Error {}

/** The token is not one this service accepts; the reason goes back in the 401. */
export class InvalidToken extends Error {}

function claimAt(payload: JWTPayload, path: string): unknown {
  if (Object.hasOwn(payload, path)) return payload[path];
  let value: unknown = payload;
  for (const key of path.split('.')) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

async function discoverJwksUri(issuer: string): Promise<string> {
  const url = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
  let document: { issuer?: unknown; jwks_uri?: unknown };
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    document = (await response.json()) as typeof document;
  } catch (error) {
    throw new OidcSetupError(
      `OIDC_ISSUER: cannot read the discovery document ${url} (${(error as Error).message}); ` +
        'set OIDC_JWKS_URI to skip discovery',
    );
  }
  if (document.issuer !== issuer) {
    throw new OidcSetupError(
      `OIDC_ISSUER: the provider names itself ${JSON.stringify(document.issuer)}, not ${JSON.stringify(issuer)}`,
    );
  }
  if (typeof document.jwks_uri !== 'string') {
    throw new OidcSetupError(`OIDC_ISSUER: the discovery document ${url} has no jwks_uri`);
  }
  return document.jwks_uri;
}

/**
 * Verifies bearer JWTs from the configured OpenID provider: signature against its JWKS
 * (fetched on first use, cached, refetched when a token names an unknown key), issuer,
 * audience, expiry and not-before with the configured clock tolerance. The principal and its
 * roles come from the configured claims, never from anything the caller sends beside it.
 */
export class OidcTokenVerifier {
  private constructor(
    private readonly config: OidcConfig,
    private readonly keys: ReturnType<typeof createRemoteJWKSet>,
  ) {}

  static async open(config: OidcConfig): Promise<OidcTokenVerifier> {
    const jwksUri = config.jwksUri ?? (await discoverJwksUri(config.issuer));
    return new OidcTokenVerifier(config, createRemoteJWKSet(new URL(jwksUri)));
  }

  async verify(token: string): Promise<Principal> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.keys, {
        issuer: this.config.issuer,
        audience: this.config.audience,
        clockTolerance: this.config.clockToleranceSeconds,
        algorithms: ALGORITHMS,
        requiredClaims: ['exp'],
      }));
    } catch (error) {
      throw new InvalidToken(`invalid token: ${(error as Error).message}`);
    }
    const subject = claimAt(payload, this.config.principalClaim);
    if (typeof subject !== 'string') {
      throw new InvalidToken(`the token has no ${this.config.principalClaim} claim`);
    }
    const id = normalizePrincipalId(subject);
    const problem = principalIdProblem(id);
    if (problem) throw new InvalidToken(`the ${this.config.principalClaim} claim ${problem}`);
    return { id, roles: this.rolesOf(claimAt(payload, this.config.rolesClaim)) };
  }

  /** A list claim, or a space-separated string (as `scope` is); unmapped values grant nothing. */
  private rolesOf(claim: unknown): Role[] {
    const values =
      typeof claim === 'string'
        ? claim.split(/\s+/)
        : Array.isArray(claim)
          ? claim.filter((v): v is string => typeof v === 'string')
          : [];
    const roles = new Set(values.flatMap((value) => this.config.roleMap.get(value) ?? []));
    return [...roles];
  }
}
