import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '../../http/api-problems.decorator';
import { CurrentPrincipal, RequireRoles } from '../access.decorators';
import { ROLES, type Principal } from '../../kernel/principal';

class PrincipalDto {
  @ApiProperty({ example: 'bob' }) id!: string;
  @ApiProperty({ enum: ROLES, isArray: true }) roles!: string[];
}

/** Who a key or token stands for: what the console asks right after sign-in. */
@ApiTags('auth')
@ApiBearerAuth()
@ApiProblems()
@Controller('me')
export class MeController {
  @Get()
  @RequireRoles(...ROLES)
  @ApiOperation({ summary: 'The principal the credential stands for, and its roles' })
  @ApiOkResponse({ type: PrincipalDto })
  me(@CurrentPrincipal() principal: Principal): PrincipalDto {
    return { id: principal.id, roles: [...principal.roles] };
  }
}
