import { labelList, ROLE_TERMS } from '@desk/vocabulary';
import { Body, Controller, Get, Param, Patch, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { ROLES, type Role } from '@desk/case-workflow';
import { ArrayMinSize, IsArray, IsEmail, IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { Roles } from '../auth/access.decorator';
import { CurrentUser, type Principal } from '../auth/principal';
import { ApiErrors } from '../common/error-response.dto';
import { Label, ValidateBoolean, ValidateText } from '../common/validation';
import { AdminService } from './admin.service';
import { CreatedDepartmentDto, DepartmentViewDto, UserViewDto } from './dto/admin-views.dto';

export class DepartmentDto {
  @ValidateText({ label: '部门名称', max: 100 }) name!: string;
}

const ROLE_MESSAGE = `角色 应为以下之一或几项：${labelList(ROLE_TERMS)}`;

export class UpdateUserDto {
  @ValidateText({ label: '姓名', optional: true, max: 100 }) displayName?: string;
  @ApiPropertyOptional({ minLength: 10, description: '密码' }) @Label('密码') @IsOptional() @IsString({ message: '密码至少 10 位' }) @MinLength(10, { message: '密码至少 10 位' }) @MaxLength(200, { message: '密码不能超过 200 位' }) password?: string;
  @ApiPropertyOptional({ enum: ROLES, isArray: true, description: '角色' })
  @Label('角色')
  @IsOptional()
  @IsArray({ message: ROLE_MESSAGE })
  @ArrayMinSize(1, { message: '至少需要一个角色' })
  @IsIn(ROLES as unknown as string[], { each: true, message: ROLE_MESSAGE })
  roles?: Role[];
  @ValidateText({ label: '所属部门', optional: true, max: 100 }) department?: string;
  @ApiPropertyOptional({ description: '电子邮箱' }) @Label('电子邮箱') @IsOptional() @IsEmail({}, { message: '电子邮箱 不是有效的电子邮箱地址' }) email?: string;
  @ValidateBoolean({ label: '启用', optional: true, description: '停用的用户不能登录，已有的登录随即失效' }) active?: boolean;
}

/** Every field required but the e-mail; a separate class, so no inherited @IsOptional() weakens it. */
export class CreateUserDto {
  @ApiProperty({ description: '用户名' }) @Label('用户名') @IsString({ message: '用户名 应为文字' }) @Matches(/^[a-z][a-z0-9._-]{2,39}$/, { message: '用户名应为 3 至 40 位小写字母、数字或 . _ -，以字母开头' }) username!: string;
  @ValidateText({ label: '姓名', max: 100 }) displayName!: string;
  @ApiProperty({ minLength: 10, description: '密码' }) @Label('密码') @IsString({ message: '密码至少 10 位' }) @MinLength(10, { message: '密码至少 10 位' }) @MaxLength(200, { message: '密码不能超过 200 位' }) password!: string;
  @ApiProperty({ enum: ROLES, isArray: true, description: '角色' })
  @Label('角色')
  @IsArray({ message: ROLE_MESSAGE })
  @ArrayMinSize(1, { message: '至少需要一个角色' })
  @IsIn(ROLES as unknown as string[], { each: true, message: ROLE_MESSAGE })
  roles!: Role[];
  @ValidateText({ label: '所属部门', max: 100 }) department!: string;
  @ApiPropertyOptional({ description: '电子邮箱' }) @Label('电子邮箱') @IsOptional() @IsEmail({}, { message: '电子邮箱 不是有效的电子邮箱地址' }) email?: string;
}

@ApiTags('admin')
@Controller('api/admin')
export class AdminController {
  constructor(private readonly admin: AdminService) {}

  @Roles('admin')
  @Get('departments')
  @ApiOperation({ summary: '本机关的部门' })
  @ApiOkResponse({ type: [DepartmentViewDto] })
  departments(@CurrentUser() principal: Principal) {
    return this.admin.departments(principal);
  }

  @Roles('admin')
  @Post('departments')
  @ApiOperation({ summary: '新建部门' })
  @ApiCreatedResponse({ type: CreatedDepartmentDto })
  @ApiErrors(400, [409, '部门已存在'])
  createDepartment(@CurrentUser() principal: Principal, @Body() body: DepartmentDto) {
    return this.admin.createDepartment(principal, body.name);
  }

  @Roles('admin')
  @Get('users')
  @ApiOperation({ summary: '本机关的用户' })
  @ApiOkResponse({ type: [UserViewDto] })
  users(@CurrentUser() principal: Principal) {
    return this.admin.users(principal);
  }

  @Roles('admin')
  @Post('users')
  @ApiOperation({ summary: '新建用户' })
  @ApiCreatedResponse({ type: UserViewDto })
  @ApiErrors([400, '填写有误，或本机关没有这个部门'], [409, '用户名已被使用'])
  createUser(@CurrentUser() principal: Principal, @Body() body: CreateUserDto) {
    return this.admin.createUser(principal, body);
  }

  @Roles('admin')
  @Patch('users/:id')
  @ApiOperation({ summary: '修改用户：姓名、角色、部门、电子邮箱、启用；停用或重设密码后该用户的登录随即失效' })
  @ApiParam({ name: 'id', description: '用户 id' })
  @ApiOkResponse({ type: UserViewDto })
  @ApiErrors(
    [400, '填写有误，或本机关没有这个部门'],
    [403, '修改自己的密码须使用“修改密码”并输入当前密码'],
    [404, '本机关没有这个用户'],
    [409, '不能停用自己的账号，或这是本机关最后一名在用的管理员'],
  )
  updateUser(@CurrentUser() principal: Principal, @Param('id') id: string, @Body() body: UpdateUserDto) {
    return this.admin.updateUser(principal, id, body);
  }
}
