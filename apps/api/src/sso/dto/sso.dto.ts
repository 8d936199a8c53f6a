import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { codesOf, labelList, SSO_MATCH_TERMS } from '@desk/vocabulary';
import { Label, ValidateBoolean, ValidateEnum, ValidateText } from '../../common/validation';

/** A claim's name in the provider's ID token or user info: letters, digits and _ : . - / (no spaces). */
const CLAIM = /^[A-Za-z0-9_:.\/-]{1,100}$/;
const claimMessage = (label: string) => `${label} 应为身份认证平台的声明名（1 至 100 位字母、数字或 _ : . - /）`;

/** What an administrator sets for the agency's single sign-on (统一身份认证). */
export class UpdateSsoSettingsDto {
  @ValidateBoolean({ label: '启用统一身份认证登录', description: '启用后，登录页显示“通过统一身份认证登录”' }) enabled!: boolean;

  @ValidateText({ label: '身份认证平台名称', max: 100, description: '身份认证平台的名称，显示在登录页上，如 浙江省统一身份认证平台', example: '浙江省统一身份认证平台' })
  providerName!: string;

  @ApiProperty({ title: '签发方地址', description: '身份认证平台的签发方地址（Issuer）：本系统从 <签发方地址>/.well-known/openid-configuration 读取平台的配置', example: 'https://ids.example.gov.cn/oidc' })
  @Label('签发方地址')
  @IsString({ message: '签发方地址 应为网址' })
  @Matches(/^https?:\/\/[^\s/?#@]+(\/[^\s?#]*)?$/, { message: '签发方地址 应为 https:// 开头的网址，不含查询参数和 #' })
  @MaxLength(500, { message: '签发方地址 不能超过 500 个字' })
  issuer!: string;

  @ValidateText({ label: '客户端标识', max: 200, description: '本系统在身份认证平台登记的客户端标识（Client ID）', example: 'ogi-desk' }) clientId!: string;

  @ApiPropertyOptional({
    title: '客户端密钥',
    description: '身份认证平台给出的客户端密钥（Client Secret）：只写不读，加密保存；不填则保留已保存的密钥（首次设置时必填）',
    writeOnly: true,
  })
  @Label('客户端密钥')
  @IsOptional()
  @IsString({ message: '客户端密钥 应为文字' })
  @MaxLength(500, { message: '客户端密钥 不能超过 500 个字' })
  clientSecret?: string;

  @ValidateText({ label: '申请的权限范围', max: 300, optional: true, description: '向身份认证平台申请的权限范围（scope），以空格分隔，须含 openid；默认 openid profile', example: 'openid profile' })
  scopes?: string;

  @ValidateEnum(SSO_MATCH_TERMS, { label: '用户对应方式', description: `身份认证平台的用户如何对应本系统的用户：${labelList(SSO_MATCH_TERMS)}` }) matchBy!: (typeof SSO_MATCH_TERMS)[number]['code'];

  @ApiPropertyOptional({ title: '用户名声明', description: '平台在哪个声明里给出用户名（与本系统的用户名比对），默认 preferred_username', example: 'preferred_username' })
  @Label('用户名声明')
  @IsOptional()
  @Matches(CLAIM, { message: claimMessage('用户名声明') })
  usernameClaim?: string;

  @ApiPropertyOptional({ title: '外部身份标识声明', description: '按外部身份标识对应时，平台在哪个声明里给出不变的身份标识，默认 sub', example: 'sub' })
  @Label('外部身份标识声明')
  @IsOptional()
  @Matches(CLAIM, { message: claimMessage('外部身份标识声明') })
  subjectClaim?: string;

  @ApiPropertyOptional({ title: '姓名声明', description: '自动开通账号时，平台在哪个声明里给出姓名，默认 name', example: 'name' })
  @Label('姓名声明')
  @IsOptional()
  @Matches(CLAIM, { message: claimMessage('姓名声明') })
  displayNameClaim?: string;

  @ValidateBoolean({ label: '首次登录时自动开通账号', optional: true, description: '默认否：只有本系统已有的用户可以登录。为是时，对应不上的人首次登录即开通账号，但没有任何角色，须管理员授予' })
  selfRegistration?: boolean;

  @ValidateBoolean({ label: '关闭密码登录', optional: true, description: '为是时，本机关的用户不能再用本系统的密码登录（应急管理员除外）；须先启用统一身份认证并指定应急管理员' })
  passwordsDisabled?: boolean;

  @ValidateText({ label: '应急管理员', max: 100, optional: true, description: '关闭密码登录后仍可用密码登录的一名本机关管理员的用户名，供身份认证平台故障时使用；每次使用都有记录' })
  breakGlassUsername?: string;

  @ValidateBoolean({ label: '退出时同时退出身份认证平台', optional: true, description: '默认是：通过统一身份认证登录的用户退出本系统时，也在身份认证平台退出（平台支持时）' })
  providerSignOut?: boolean;
}

export class SsoUserRefDto {
  @ApiProperty({ description: '用户名' }) username!: string;
  @ApiProperty({ description: '姓名' }) displayName!: string;
}

/** The agency's single sign-on as an administrator sees it (never the client secret). */
export class SsoSettingsDto {
  @ApiProperty({ description: '是否已设置（未设置时其余各项为默认值）' }) configured!: boolean;
  @ApiProperty({ description: '是否启用统一身份认证登录' }) enabled!: boolean;
  @ApiProperty({ description: '身份认证平台名称' }) providerName!: string;
  @ApiProperty({ description: '签发方地址（Issuer）' }) issuer!: string;
  @ApiProperty({ description: '客户端标识（Client ID）' }) clientId!: string;
  @ApiProperty({ description: '是否已保存客户端密钥（密钥本身不返回）' }) clientSecretSet!: boolean;
  @ApiProperty({ description: '申请的权限范围（scope）' }) scopes!: string;
  @ApiProperty({ enum: codesOf(SSO_MATCH_TERMS), description: '用户对应方式' }) matchBy!: string;
  @ApiProperty({ description: '用户对应方式（文字）' }) matchByLabel!: string;
  @ApiProperty({ description: '用户名声明' }) usernameClaim!: string;
  @ApiProperty({ description: '外部身份标识声明' }) subjectClaim!: string;
  @ApiProperty({ description: '姓名声明' }) displayNameClaim!: string;
  @ApiProperty({ description: '首次登录时是否自动开通账号（开通的账号没有角色）' }) selfRegistration!: boolean;
  @ApiProperty({ description: '是否已关闭密码登录（应急管理员除外）' }) passwordsDisabled!: boolean;
  @ApiProperty({ type: SsoUserRefDto, nullable: true, description: '应急管理员' }) breakGlass!: SsoUserRefDto | null;
  @ApiProperty({ description: '退出时是否同时退出身份认证平台' }) providerSignOut!: boolean;
  @ApiProperty({ description: '回调地址：在身份认证平台登记为本系统的重定向地址（redirect_uri）' }) redirectUri!: string;
  @ApiProperty({ description: '退出后返回的地址：在身份认证平台登记为退出后的重定向地址（post_logout_redirect_uri）' }) postLogoutRedirectUri!: string;
  @ApiProperty({ description: '最近修改时间', format: 'date-time', nullable: true, type: String }) updatedAt!: string | null;
  @ApiProperty({ description: '最近修改人', nullable: true, type: String }) updatedBy!: string | null;
  @ApiProperty({ description: '最近一次通过统一身份认证登录的时间', format: 'date-time', nullable: true, type: String }) lastSignInAt!: string | null;
  @ApiProperty({ description: '关闭密码登录后应急管理员最近一次用密码登录的时间', format: 'date-time', nullable: true, type: String }) breakGlassUsedAt!: string | null;
}

/** A user linked to an identity of the provider (按外部身份标识对应). */
export class SsoLinkDto {
  @ApiProperty({ description: '用户编号', format: 'uuid' }) userId!: string;
  @ApiProperty({ description: '用户名' }) username!: string;
  @ApiProperty({ description: '姓名' }) displayName!: string;
  @ApiProperty({ description: '签发方地址' }) issuer!: string;
  @ApiProperty({ description: '外部身份标识' }) subject!: string;
  @ApiProperty({ description: '关联时间', format: 'date-time' }) linkedAt!: string;
  @ApiProperty({ description: '最近一次登录时间', format: 'date-time', nullable: true, type: String }) lastSignInAt!: string | null;
}
