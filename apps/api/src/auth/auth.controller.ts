import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ClientAddress } from '../common/client-address';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { Authenticated, Public } from './access.decorator';
import { AuthService } from './auth.service';
import { CurrentUser, type Principal } from './principal';
import { ApiErrors } from '../common/error-response.dto';
import { Label, ValidateText } from '../common/validation';
import { CurrentUserDto, LoginResponseDto } from './dto/auth-views.dto';

export class LoginDto {
  @ValidateText({ label: '用户名', max: 100, example: 'intake' }) username!: string;
  @ApiProperty({ example: 'demo-password', description: '密码' }) @Label('密码') @IsString({ message: '请填写密码' }) @MinLength(1, { message: '请填写密码' }) @MaxLength(200, { message: '密码不能超过 200 位' }) password!: string;
}

export class ChangePasswordDto {
  @ApiProperty({ description: '当前密码' }) @Label('当前密码') @IsString({ message: '请填写当前密码' }) @MinLength(1, { message: '请填写当前密码' }) @MaxLength(200, { message: '当前密码不能超过 200 位' }) currentPassword!: string;
  @ApiProperty({ minLength: 10, description: '新密码' }) @Label('新密码') @IsString({ message: '新密码至少 10 位' }) @MinLength(10, { message: '新密码至少 10 位' }) @MaxLength(200, { message: '新密码不能超过 200 位' }) newPassword!: string;
}

@ApiTags('auth')
@Controller('api/auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOperation({ summary: '登录：取得访问令牌' })
  @ApiOkResponse({ type: LoginResponseDto })
  @ApiErrors(400, [401, '用户名或密码错误（用户存在与否，答复相同）'], [429, '登录失败次数过多，请稍后再试'])
  login(@Body() body: LoginDto, @ClientAddress() address: string) {
    return this.auth.login(body.username, body.password, address);
  }

  @Authenticated()
  @Post('logout')
  @HttpCode(204)
  @ApiOperation({ summary: '退出登录：令牌随即失效' })
  @ApiNoContentResponse({ description: '已退出' })
  logout(@CurrentUser() principal: Principal): Promise<void> {
    return this.auth.logout(principal);
  }

  /** Changing one's own password asks for the current one; the user's other sign-ins end. */
  @Authenticated()
  @Post('password')
  @HttpCode(204)
  @ApiOperation({ summary: '修改自己的密码（须输入当前密码）；本人的其他登录随即失效' })
  @ApiNoContentResponse({ description: '已修改' })
  @ApiErrors([400, '填写有误，或当前密码不正确'], [403, '本机关已改为通过统一身份认证登录，不再使用本系统的密码'], [429, '失败次数过多，请稍后再试'])
  changePassword(@CurrentUser() principal: Principal, @Body() body: ChangePasswordDto, @ClientAddress() address: string): Promise<void> {
    return this.auth.changePassword(principal, body.currentPassword, body.newPassword, address);
  }

  @Authenticated()
  @Get('me')
  @ApiOperation({ summary: '当前登录的用户' })
  @ApiOkResponse({ type: CurrentUserDto })
  me(@CurrentUser() principal: Principal) {
    const { sessionId: _sessionId, ...user } = principal;
    return user;
  }
}
