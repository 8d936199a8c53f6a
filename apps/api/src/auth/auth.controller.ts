import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ClientAddress } from '../common/client-address';
import { ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { Authenticated, Public } from './access.decorator';
import { AuthService } from './auth.service';
import { CurrentUser, type Principal } from './principal';

export class LoginDto {
  @ApiProperty({ example: 'intake' }) @IsString() @MinLength(1) @MaxLength(100) username!: string;
  @ApiProperty({ example: 'demo-password' }) @IsString() @MinLength(1) @MaxLength(200) password!: string;
}

@ApiTags('auth')
@Controller('api/auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  login(@Body() body: LoginDto, @ClientAddress() address: string) {
    return this.auth.login(body.username, body.password, address);
  }

  @Authenticated()
  @Post('logout')
  @HttpCode(204)
  logout(@CurrentUser() principal: Principal): Promise<void> {
    return this.auth.logout(principal);
  }

  @Authenticated()
  @Get('me')
  me(@CurrentUser() principal: Principal) {
    const { sessionId: _sessionId, ...user } = principal;
    return user;
  }
}
