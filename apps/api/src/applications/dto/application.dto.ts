import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsEmail, IsOptional, Matches, registerDecorator, ValidateNested, type ValidationArguments } from 'class-validator';
import {
  APPLICANT_CATEGORIES,
  CHANNELS,
  DELIVERY_FORMS,
  REQUEST_TYPES,
  type ApplicantCategory,
  type Channel,
  type DeliveryForm,
  type RequestType,
} from '@desk/case-workflow';
import { ID_TYPES, identityNumberProblem, type IdType } from '@desk/identity';
import { ValidateDate, ValidateEnum, ValidateText } from '../../common/validation';

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
          return `applicant.idNumber：${problem ?? '证件号码应为文字'}`;
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
            : '法人或其他组织申请应提供统一社会信用代码（idType: uscc），无代码的组织选择 other',
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
        defaultMessage: () => '请至少提供一种联系方式：phone、email 或 address（第二十九条）',
      },
    });
}

export class ApplicantDto {
  @ValidateEnum(APPLICANT_CATEGORIES, { description: '自然人，或法人/其他组织的类别（年度报告分列）' }) category!: ApplicantCategory;
  @ValidateText({ max: 200, description: '姓名或组织名称', example: '张三' }) @HasContact() name!: string;
  @ValidateEnum(ID_TYPES, { description: '证件类型' }) @IdTypeFitsCategory() idType!: IdType;
  @ApiProperty({ description: '证件号码', example: '11010519491231002X' }) @IsIdentityNumberOfType() idNumber!: string;
  @ApiProperty({ required: false, example: '13812345678' })
  @IsOptional()
  @Matches(/^[0-9+\-() ]{7,20}$/, { message: 'applicant.phone 应为 7 至 20 位电话号码' })
  phone?: string;
  @ApiProperty({ required: false, example: 'zhangsan@example.com' })
  @IsOptional()
  @IsEmail({}, { message: 'applicant.email 不是有效的电子邮箱' })
  email?: string;
  @ValidateText({ optional: true, max: 300, description: '通信地址', example: '上海市杨浦区某路1号' }) address?: string;
}

/** The fields an online applicant fills in (Art. 29 ¶2). */
export class PublicApplicationDto {
  @ApiProperty({ type: ApplicantDto }) @ValidateNested() @Type(() => ApplicantDto) applicant!: ApplicantDto;
  @ValidateText({ min: 5, max: 5000, description: '所需政府信息的名称、文号或便于查询的其他特征描述', example: '2024年本区旧区改造项目补偿安置方案' })
  description!: string;
  @ValidateEnum(DELIVERY_FORMS, { description: '获取信息的方式（第二十九条第二款第（三）项、第四十条）' }) deliveryForm!: DeliveryForm;
  @ValidateText({ optional: true, max: 40, description: '受理机关编码（市级平台上有多个机关时）' }) agency?: string;
  @ValidateEnum(REQUEST_TYPES, { optional: true, description: 'disclosure：政府信息公开申请（默认）；correction：更正本人信息记录（第四十一条）' })
  requestType?: RequestType;
}

/** An application received at the desk, by post, fax, email or import (api.md). */
export class DeskApplicationDto {
  @ValidateEnum(
    CHANNELS.filter((channel) => channel !== 'online'),
    { description: '收到申请的渠道；决定收到申请之日（第三十一条）' },
  )
  channel!: Exclude<Channel, 'online'>;
  @ValidateDate({ description: '收到申请之日（第三十一条）：当面提交之日、签收之日或双方确认之日；不得晚于今天' }) receivedAt!: string;
  @ApiProperty({ type: ApplicantDto }) @ValidateNested() @Type(() => ApplicantDto) applicant!: ApplicantDto;
  @ValidateText({ min: 5, max: 5000, description: '所需政府信息的描述' }) description!: string;
  @ValidateEnum(DELIVERY_FORMS, { description: '获取信息的方式' }) deliveryForm!: DeliveryForm;
  @ValidateEnum(REQUEST_TYPES, { optional: true, description: 'disclosure（默认）或 correction（第四十一条）' }) requestType?: RequestType;
}
