import { Body, Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
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
  login(@Body() body: LoginDto, @Req() request: Request) {
    return this.auth.login(body.username, body.password, request.ip ?? 'unknown');
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
