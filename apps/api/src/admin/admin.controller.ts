import { Body, Controller, Get, Param, Patch, Post } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { ROLES, type Role } from '@desk/case-workflow';
import { ArrayMinSize, IsArray, IsBoolean, IsEmail, IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { Roles } from '../auth/access.decorator';
import { CurrentUser, type Principal } from '../auth/principal';
import { ValidateText } from '../common/validation';
import { AdminService } from './admin.service';

export class DepartmentDto {
  @ValidateText({ max: 100, description: '部门名称' }) name!: string;
}

const ROLE_MESSAGE = `roles 应为以下角色组成的列表：${ROLES.join('、')}`;

export class UpdateUserDto {
  @ValidateText({ optional: true, max: 100, description: '姓名' }) displayName?: string;
  @ApiPropertyOptional({ minLength: 10 }) @IsOptional() @IsString() @MinLength(10, { message: '密码至少 10 位' }) @MaxLength(200) password?: string;
  @ApiPropertyOptional({ enum: ROLES, isArray: true })
  @IsOptional()
  @IsArray({ message: ROLE_MESSAGE })
  @ArrayMinSize(1, { message: '至少需要一个角色' })
  @IsIn(ROLES as unknown as string[], { each: true, message: ROLE_MESSAGE })
  roles?: Role[];
  @ValidateText({ optional: true, max: 100, description: '所属部门名称' }) department?: string;
  @ApiPropertyOptional() @IsOptional() @IsEmail({}, { message: 'email 不是有效的电子邮箱' }) email?: string;
  @ApiPropertyOptional() @IsOptional() @IsBoolean({ message: 'active 应为 true 或 false' }) active?: boolean;
}

/** Every field required but the e-mail; a separate class, so no inherited @IsOptional() weakens it. */
export class CreateUserDto {
  @ApiProperty() @IsString() @Matches(/^[a-z][a-z0-9._-]{2,39}$/, { message: '用户名应为 3 至 40 位小写字母、数字或 . _ -，以字母开头' }) username!: string;
  @ValidateText({ max: 100, description: '姓名' }) displayName!: string;
  @ApiProperty({ minLength: 10 }) @IsString({ message: '密码至少 10 位' }) @MinLength(10, { message: '密码至少 10 位' }) @MaxLength(200) password!: string;
  @ApiProperty({ enum: ROLES, isArray: true })
  @IsArray({ message: ROLE_MESSAGE })
  @ArrayMinSize(1, { message: '至少需要一个角色' })
  @IsIn(ROLES as unknown as string[], { each: true, message: ROLE_MESSAGE })
  roles!: Role[];
  @ValidateText({ max: 100, description: '所属部门名称' }) department!: string;
  @ApiPropertyOptional() @IsOptional() @IsEmail({}, { message: 'email 不是有效的电子邮箱' }) email?: string;
}

@ApiTags('admin')
@Controller('api/admin')
export class AdminController {
  constructor(private readonly admin: AdminService) {}

  @Roles('admin')
  @Get('departments')
  departments(@CurrentUser() principal: Principal) {
    return this.admin.departments(principal);
  }

  @Roles('admin')
  @Post('departments')
  createDepartment(@CurrentUser() principal: Principal, @Body() body: DepartmentDto) {
    return this.admin.createDepartment(principal, body.name);
  }

  @Roles('admin')
  @Get('users')
  users(@CurrentUser() principal: Principal) {
    return this.admin.users(principal);
  }

  @Roles('admin')
  @Post('users')
  createUser(@CurrentUser() principal: Principal, @Body() body: CreateUserDto) {
    return this.admin.createUser(principal, body);
  }

  @Roles('admin')
  @Patch('users/:id')
  updateUser(@CurrentUser() principal: Principal, @Param('id') id: string, @Body() body: UpdateUserDto) {
    return this.admin.updateUser(principal, id, body);
  }
}
