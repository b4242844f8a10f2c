import { Inject, Injectable } from '@nestjs/common';
import { API_KEY_REGISTRY, ApiKeyRegistry } from './api-key-registry';
import { InvalidToken, OidcTokenVerifier } from './oidc/oidc-token-verifier';
import { principalSkeleton } from './principal-id';
import type { Principal } from '../kernel/principal';

export const OIDC_VERIFIER = Symbol('OidcTokenVerifier');

/** Who a request comes from: a principal, nobody (no credentials), or a refusal with why. */
export type Authentication =
  { readonly principal: Principal } | { readonly refused: string } | { readonly anonymous: true };

const BEARER = /^Bearer\s+(\S+)\s*$/i;
// header.payload.signature, each base64url: what an API key never looks like.
const JWT = /^[\w-]+\.[\w-]+\.[\w-]+$/;

interface WithHeaders {
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

/**
 * Authenticates a request once, whoever asks first (the rate limiter, the access hooks, the
 * guard): an API key, or a bearer JWT from the OpenID provider when one is configured.
 */
@Injectable()
export class Authenticator {
  private readonly done = new WeakMap<object, Promise<Authentication>>();

  constructor(
    @Inject(API_KEY_REGISTRY) private readonly keys: ApiKeyRegistry,
    @Inject(OIDC_VERIFIER) private readonly tokens: OidcTokenVerifier | null,
  ) {}

  authenticate(request: WithHeaders): Promise<Authentication> {
    let authentication = this.done.get(request);
    if (authentication === undefined) {
      const header = request.headers.authorization;
      const match = typeof header === 'string' ? BEARER.exec(header) : null;
      authentication = match ? this.credential(match[1]) : Promise.resolve({ anonymous: true });
      this.done.set(request, authentication);
    }
    return authentication;
  }

  /** A key or token however it was sent (Bearer, or the password of Basic on /docs). */
  async credential(credential: string): Promise<Authentication> {
    if (this.tokens !== null && JWT.test(credential)) {
      try {
        return this.admitted(await this.tokens.verify(credential));
      } catch (error) {
        if (error instanceof InvalidToken) return { refused: error.message };
        throw error;
      }
    }
    const principal = this.keys.authenticate(credential);
    return principal ? { principal } : { refused: 'unknown API key' };
  }

  /**
   * A signed-in identity that looks like, but is not, a principal of the key file would be a
   * second person with a familiar name: refused, like confusable names in the key file.
   */
  private admitted(principal: Principal): Authentication {
    const known = this.keys.principalLike(principalSkeleton(principal.id));
    if (known !== undefined && known !== principal.id) {
      return { refused: `principal ${principal.id} is confusable with ${known}` };
    }
    return { principal };
  }
}
