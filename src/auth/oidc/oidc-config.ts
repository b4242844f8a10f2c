import { ROLES, type Role } from '../../kernel/principal';

/** Single sign-on with an OpenID Connect provider: JWT bearer tokens beside the API keys. */
export interface OidcConfig {
  /** The `iss` every token must carry; discovery is read from it when no JWKS URI is given. */
  readonly issuer: string;
  /** The `aud` every token must carry (this service's identifier at the provider). */
  readonly audience: string;
  /** Null: the `jwks_uri` of the issuer's discovery document, read at start-up. */
  readonly jwksUri: string | null;
  /** Claim naming the principal (default `sub`); dotted for a nested claim. */
  readonly principalClaim: string;
  /** Claim holding the caller's groups or roles at the provider (default `roles`). */
  readonly rolesClaim: string;
  /** What each value of the roles claim grants here; unmapped values grant nothing. */
  readonly roleMap: ReadonlyMap<string, readonly Role[]>;
  readonly clockToleranceSeconds: number;
}

export const OIDC_ENVIRONMENT = [
  'OIDC_ISSUER',
  'OIDC_AUDIENCE',
  'OIDC_JWKS_URI',
  'OIDC_PRINCIPAL_CLAIM',
  'OIDC_ROLES_CLAIM',
  'OIDC_ROLE_MAP',
  'OIDC_CLOCK_TOLERANCE_SECONDS',
] as const;

const CLAIM_PATH = /^[A-Za-z0-9_:/.-]{1,200}$/;

function httpUrl(name: string, raw: string, problems: string[]): string {
  try {
    const url = new URL(raw);
    if (url.protocol === 'https:' || url.protocol === 'http:') return raw;
  } catch {
    // reported below
  }
  problems.push(`${name} must be an http(s) URL, got ${JSON.stringify(raw)}`);
  return raw;
}

function parseRoleMap(raw: string | null, problems: string[]): Map<string, readonly Role[]> {
  const map = new Map<string, readonly Role[]>();
  if (raw === null) {
    problems.push(
      'OIDC_ROLE_MAP is required with OIDC_ISSUER, e.g. {"ledger-approvers":["approver"]}',
    );
    return map;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    problems.push('OIDC_ROLE_MAP must be a JSON object {"<claim value>": ["<role>", …]}');
    return map;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    problems.push('OIDC_ROLE_MAP must be a JSON object {"<claim value>": ["<role>", …]}');
    return map;
  }
  for (const [value, roles] of Object.entries(parsed)) {
    const list: unknown[] = Array.isArray(roles) ? roles : [roles];
    const unknown = list.filter((role) => !(ROLES as readonly unknown[]).includes(role));
    if (list.length === 0 || unknown.length > 0) {
      problems.push(
        `OIDC_ROLE_MAP: ${JSON.stringify(value)} must map to roles among ${ROLES.join(', ')}` +
          (unknown.length > 0 ? `, got ${JSON.stringify(unknown)}` : ''),
      );
      continue;
    }
    map.set(value, list as Role[]);
  }
  return map;
}

/** Reads the OIDC_* variables; null when OIDC_ISSUER is unset (API keys only). */
export function parseOidcConfig(env: NodeJS.ProcessEnv): {
  config: OidcConfig | null;
  problems: string[];
} {
  const text = (name: string): string | null => env[name]?.trim() || null;
  const issuerRaw = text('OIDC_ISSUER');
  if (issuerRaw === null) {
    const stray = OIDC_ENVIRONMENT.filter((name) => text(name) !== null);
    return {
      config: null,
      problems: stray.length > 0 ? [`${stray.join(', ')} set but OIDC_ISSUER is not`] : [],
    };
  }
  const problems: string[] = [];
  const issuer = httpUrl('OIDC_ISSUER', issuerRaw, problems);
  const audience = text('OIDC_AUDIENCE');
  if (audience === null) problems.push('OIDC_AUDIENCE is required with OIDC_ISSUER');
  const jwksRaw = text('OIDC_JWKS_URI');
  const jwksUri = jwksRaw === null ? null : httpUrl('OIDC_JWKS_URI', jwksRaw, problems);
  const claim = (name: string, fallback: string): string => {
    const value = text(name) ?? fallback;
    if (!CLAIM_PATH.test(value)) {
      problems.push(`${name} must be a claim name (dotted for a nested one), got ${value}`);
    }
    return value;
  };
  const principalClaim = claim('OIDC_PRINCIPAL_CLAIM', 'sub');
  const rolesClaim = claim('OIDC_ROLES_CLAIM', 'roles');
  const roleMap = parseRoleMap(text('OIDC_ROLE_MAP'), problems);
  const toleranceRaw = text('OIDC_CLOCK_TOLERANCE_SECONDS');
  const clockToleranceSeconds = toleranceRaw === null ? 30 : Number(toleranceRaw);
  if (!Number.isInteger(clockToleranceSeconds) || clockToleranceSeconds < 0) {
    problems.push(
      `OIDC_CLOCK_TOLERANCE_SECONDS must be an integer from 0 to 300, got ${JSON.stringify(toleranceRaw)}`,
    );
  } else if (clockToleranceSeconds > 300) {
    problems.push('OIDC_CLOCK_TOLERANCE_SECONDS must be an integer from 0 to 300');
  }
  if (problems.length > 0) return { config: null, problems };
  return {
    config: {
      issuer,
      audience: audience as string,
      jwksUri,
      principalClaim,
      rolesClaim,
      roleMap,
      clockToleranceSeconds,
    },
    problems,
  };
}
