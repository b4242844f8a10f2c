import {
  ForbiddenException,
  Injectable,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { PUBLIC_ROUTE, REQUIRED_ROLES, type AuthenticatedRequest } from './access.decorators';
import { Authenticator } from './authenticator';
import { READER_ROLES, type Role } from '../kernel/principal';

/**
 * Every route needs a valid key or token unless marked @Public(); @RequireRoles narrows who,
 * and a route that names no roles is for readers (every role but ingest).
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: Authenticator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const request = context
      .switchToHttp()
      .getRequest<
        AuthenticatedRequest & { headers: Record<string, string | string[] | undefined> }
      >();
    const authentication = await this.authenticator.authenticate(request);
    if ('anonymous' in authentication) {
      throw new UnauthorizedException('send the API key as "Authorization: Bearer <key>"');
    }
    if ('refused' in authentication) throw new UnauthorizedException(authentication.refused);
    const { principal } = authentication;
    request.principal = principal;
    const required =
      this.reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, targets) ?? READER_ROLES;
    if (!principal.roles.includes('admin') && !required.some((r) => principal.roles.includes(r))) {
      throw new ForbiddenException(`requires one of the roles: ${required.join(', ')}`);
    }
    return true;
  }
}
