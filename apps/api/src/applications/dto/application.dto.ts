import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsEmail, IsOptional, Matches, registerDecorator, ValidateNested, type ValidationArguments } from 'class-validator';
import { type ApplicantCategory, type Channel, type DeliveryForm, type RequestType } from '@desk/case-workflow';
import { ID_TYPES, identityNumberProblem, type IdType } from '@desk/identity';
import { Label, ValidateBoolean, ValidateDate, ValidateEnum, ValidateText } from '../../common/validation';
import { APPLICANT_CATEGORY_TERMS, CHANNEL_TERMS, DELIVERY_FORM_TERMS, ID_TYPE_TERMS, REQUEST_TYPE_TERMS } from '@desk/vocabulary';

/** The identity number must fit its type (check digit of 居民身份证 and 统一社会信用代码). */
function IsIdentityNumberOfType() {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isIdentityNumberOfType',
      target: target.constructor,
      propertyName: String(propertyName),
      validator: {
        validate: (value: unknown, args: ValidationArguments) => {
          const idType = (args.object as ApplicantDto).idType;
          if (typeof value !== 'string' || !ID_TYPES.includes(idType)) return typeof value === 'string';
          return identityNumberProblem(idType, value) === null;
        },
        defaultMessage: (args: ValidationArguments) => {
          const { idType } = args.object as ApplicantDto;
          const problem = typeof args.value === 'string' && ID_TYPES.includes(idType) ? identityNumberProblem(idType, args.value) : null;
          return `证件号码：${problem ?? '应为文字'}`;
        },
      },
    });
}

/** Art. 29 ¶2(1): 法人或其他组织 identify themselves by the 统一社会信用代码; a natural person by a personal document. */
function IdTypeFitsCategory() {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'idTypeFitsCategory',
      target: target.constructor,
      propertyName: String(propertyName),
      validator: {
        validate: (value: unknown, args: ValidationArguments) => {
          const { category } = args.object as ApplicantDto;
          if (category === 'natural_person') return value !== 'uscc';
          return value === 'uscc' || value === 'other';
        },
        defaultMessage: (args: ValidationArguments) =>
          (args.object as ApplicantDto).category === 'natural_person'
            ? '自然人申请应使用个人身份证件，不能使用统一社会信用代码'
            : '法人或其他组织申请的证件类型应为统一社会信用代码；没有统一社会信用代码的组织选择“其他证件”',
      },
    });
}

/** Art. 29 ¶2(1): at least one way to reach the applicant. */
function HasContact() {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'hasContact',
      target: target.constructor,
      propertyName: String(propertyName),
      validator: {
        validate: (_value: unknown, args: ValidationArguments) => {
          const applicant = args.object as ApplicantDto;
          return Boolean(applicant.phone || applicant.email || applicant.address);
        },
        defaultMessage: () => '请至少提供一种联系方式：联系电话、电子邮箱或通信地址（第二十九条）',
      },
    });
}

/** The applicant asks to be told by email or SMS: there must be an address, or a mobile number, to tell. */
function ReachableBy(channel: 'email' | 'sms') {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: `reachableBy_${channel}`,
      target: target.constructor,
      propertyName: String(propertyName),
      validator: {
        validate: (value: unknown, args: ValidationArguments) => {
          if (value !== true) return true;
          const applicant = (args.object as PublicApplicationDto).applicant;
          return channel === 'email' ? Boolean(applicant?.email) : MOBILE.test(String(applicant?.phone ?? '').replace(/[\s-]/g, ''));
        },
        defaultMessage: () => (channel === 'email' ? '选择邮件通知的，请填写电子邮箱' : '选择短信通知的，请在联系电话中填写手机号码'),
      },
    });
}

/** A mainland mobile number (短信), with or without +86. */
const MOBILE = /^(\+?86)?1[3-9]\d{9}$/;

export class ApplicantDto {
  @ValidateEnum(APPLICANT_CATEGORY_TERMS, { label: '申请人类别', description: '自然人，或法人/其他组织的类别（年度报告分列）' }) category!: ApplicantCategory;
  @ValidateText({ label: '姓名或名称', max: 200, description: '姓名或组织名称', example: '张三' }) @HasContact() name!: string;
  @ValidateEnum(ID_TYPE_TERMS, { label: '证件类型' }) @IdTypeFitsCategory() idType!: IdType;
  @ApiProperty({ description: '证件号码', example: '11010519491231002X' }) @Label('证件号码') @IsIdentityNumberOfType() idNumber!: string;
  @ApiProperty({ required: false, description: '联系电话', example: '13812345678' })
  @Label('联系电话')
  @IsOptional()
  @Matches(/^[0-9+\-() ]{7,20}$/, { message: '联系电话 应为 7 至 20 位电话号码' })
  phone?: string;
  @ApiProperty({ required: false, description: '电子邮箱', example: 'zhangsan@example.com' })
  @Label('电子邮箱')
  @IsOptional()
  @IsEmail({}, { message: '电子邮箱 不是有效的电子邮箱地址' })
  email?: string;
  @ValidateText({ label: '通信地址', optional: true, max: 300, example: '上海市杨浦区某路1号' }) address?: string;
}

/** The fields an online applicant fills in (Art. 29 ¶2). */
export class PublicApplicationDto {
  @ApiProperty({ type: ApplicantDto }) @Label('申请人') @IsDefined({ message: '申请人 不能为空' }) @ValidateNested() @Type(() => ApplicantDto) applicant!: ApplicantDto;
  @ValidateText({ label: '所需信息的描述', min: 5, max: 5000, description: '所需政府信息的名称、文号或便于查询的其他特征描述', example: '2024年本区旧区改造项目补偿安置方案' })
  description!: string;
  @ValidateEnum(DELIVERY_FORM_TERMS, { label: '获取信息的方式', description: '获取信息的方式（第二十九条第二款第（三）项、第四十条）' }) deliveryForm!: DeliveryForm;
  @ValidateText({ label: '受理机关', optional: true, max: 40, description: '受理机关编码（市级平台上有多个机关时）' }) agency?: string;
  @ValidateEnum(REQUEST_TYPE_TERMS, { label: '申请类型', optional: true, description: '政府信息公开申请（默认），或更正本人信息记录（第四十一条）' })
  requestType?: RequestType;
  @ValidateText({ label: '代理人', optional: true, max: 200, description: '委托他人代为申请的，代理人的姓名或名称（网上申请表另附授权委托书）', example: '上海某律师事务所 王律师' })
  agentName?: string;
  @ValidateBoolean({ label: '邮件通知', optional: true, description: '确认收到、补正、延期、答复时发送电子邮件通知（含案件编号和查询链接，不含查询码）' })
  @ReachableBy('email')
  notifyByEmail?: boolean;
  @ValidateBoolean({ label: '短信通知', optional: true, description: '确认收到、补正、延期、答复时发送短信通知（须填写手机号码）' })
  @ReachableBy('sms')
  notifyBySms?: boolean;
}

/** An application received at the desk, by post, fax, email or import (api.md). */
export class DeskApplicationDto {
  @ValidateEnum(
    CHANNEL_TERMS.filter((channel) => channel.code !== 'online'),
    { label: '申请方式', description: '收到申请的渠道；决定收到申请之日（第三十一条）' },
  )
  channel!: Exclude<Channel, 'online'>;
  @ValidateDate({ label: '收到申请之日', description: '收到申请之日（第三十一条）：当面提交之日、签收之日或双方确认之日；不得晚于今天' }) receivedAt!: string;
  @ApiProperty({ type: ApplicantDto }) @Label('申请人') @IsDefined({ message: '申请人 不能为空' }) @ValidateNested() @Type(() => ApplicantDto) applicant!: ApplicantDto;
  @ValidateText({ label: '所需信息的描述', min: 5, max: 5000 }) description!: string;
  @ValidateEnum(DELIVERY_FORM_TERMS, { label: '获取信息的方式' }) deliveryForm!: DeliveryForm;
  @ValidateEnum(REQUEST_TYPE_TERMS, { label: '申请类型', optional: true, description: '政府信息公开申请（默认），或更正本人信息记录（第四十一条）' }) requestType?: RequestType;
  @ValidateText({ label: '邮件号', optional: true, min: 4, max: 60, description: '邮寄申请的信封上的邮件号（挂号信、快递单号），证明签收之日' }) postalTrackingNumber?: string;
  @ValidateText({ label: '委托代理人', optional: true, max: 200, description: '代为提交申请的委托代理人姓名；授权委托书作为附件上传' }) agentName?: string;
}
