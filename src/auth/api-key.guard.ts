import {
  ForbiddenException,
  Inject,
  Injectable,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { PUBLIC_ROUTE, REQUIRED_ROLES, type AuthenticatedRequest } from './access.decorators';
import { API_KEY_REGISTRY, ApiKeyRegistry } from './api-key-registry';
import type { Role } from './role';

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** Every route needs a valid key unless marked @Public(); @RequireRoles narrows who. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(API_KEY_REGISTRY) private readonly keys: ApiKeyRegistry,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;

    const request = context
      .switchToHttp()
      .getRequest<AuthenticatedRequest & { headers: Record<string, string | undefined> }>();
    const match = BEARER.exec(request.headers.authorization ?? '');
    if (!match)
      throw new UnauthorizedException('send the API key as "Authorization: Bearer <key>"');
    const principal = this.keys.authenticate(match[1]);
    if (!principal) throw new UnauthorizedException('unknown API key');
    request.principal = principal;

    const required = this.reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, targets);
    if (required && !principal.roles.includes('admin')) {
      if (!required.some((role) => principal.roles.includes(role))) {
        throw new ForbiddenException(`requires one of the roles: ${required.join(', ')}`);
      }
    }
    return true;
  }
}
