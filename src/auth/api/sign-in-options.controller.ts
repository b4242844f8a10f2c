import { Controller, Get, Inject } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { Public } from '../access.decorators';

class OidcSignInDto {
  @ApiProperty({ example: 'https://login.example.com/realms/ops' }) issuer!: string;
  @ApiProperty({ example: 'change-ledger', description: 'The audience a token must be for' })
  audience!: string;
}

class SignInOptionsDto {
  @ApiPropertyOptional({
    nullable: true,
    type: OidcSignInDto,
    description: 'Where to get an access token, when single sign-on is configured',
  })
  oidc!: OidcSignInDto | null;
}

/** What a sign-in screen may offer before anyone signed in: keys always, SSO when configured. */
@ApiTags('auth')
@Controller('auth')
export class SignInOptionsController {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Get('sign-in')
  @Public()
  @ApiOperation({ summary: 'How to sign in: API keys, and the OpenID provider when configured' })
  @ApiOkResponse({ type: SignInOptionsDto })
  options(): SignInOptionsDto {
    const { oidc } = this.config;
    return { oidc: oidc === null ? null : { issuer: oidc.issuer, audience: oidc.audience } };
  }
}
