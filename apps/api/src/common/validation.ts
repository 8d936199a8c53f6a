import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { isIsoDate } from '@desk/calendar';
import { IsIn, IsOptional, IsString, MaxLength, MinLength, registerDecorator, type ValidationArguments, type ValidationError } from 'class-validator';

/** A calendar date 'YYYY-MM-DD' (api.md: dates are Asia/Shanghai calendar dates). */
export function IsCalendarDate() {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isCalendarDate',
      target: target.constructor,
      propertyName: String(propertyName),
      validator: {
        validate: (value: unknown) => isIsoDate(value),
        defaultMessage: (args: ValidationArguments) => `${args.property} 应为有效日期，格式 YYYY-MM-DD`,
      },
    });
}

export function ValidateDate(options: { optional?: boolean; description?: string; example?: string } = {}) {
  const doc = { type: String, format: 'date', description: options.description, example: options.example ?? '2025-09-26' };
  return applyDecorators(
    ...(options.optional ? [IsOptional(), ApiPropertyOptional(doc)] : [ApiProperty(doc)]),
    IsCalendarDate(),
  );
}

export function ValidateEnum(values: readonly string[], options: { optional?: boolean; description?: string } = {}) {
  const doc = { enum: values as string[], description: options.description };
  return applyDecorators(
    ...(options.optional ? [IsOptional(), ApiPropertyOptional(doc)] : [ApiProperty(doc)]),
    IsIn(values as string[], { message: ({ property }) => `${property} 应为以下之一：${values.join('、')}` }),
  );
}

/** Free text a person writes: trimmed length limits, Chinese messages. */
export function ValidateText(options: { optional?: boolean; min?: number; max?: number; description?: string; example?: string } = {}) {
  const min = options.min ?? 1;
  const max = options.max ?? 2000;
  const doc = { type: String, description: options.description, example: options.example, minLength: min, maxLength: max };
  return applyDecorators(
    ...(options.optional ? [IsOptional(), ApiPropertyOptional(doc)] : [ApiProperty(doc)]),
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value)),
    IsString({ message: ({ property }) => `${property} 应为文字` }),
    MinLength(min, { message: ({ property }) => `${property} 不能为空${min > 1 ? `，至少 ${min} 个字` : ''}` }),
    MaxLength(max, { message: ({ property }) => `${property} 不能超过 ${max} 个字` }),
  );
}

/** class-validator's nested errors as one list of messages, unknown fields named as such. */
export function flattenValidationErrors(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((error) => {
    const path = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) =>
      message.includes('should not exist') ? `不认识的字段：${path}` : message,
    );
    return [...own, ...flattenValidationErrors(error.children ?? [], path)];
  });
}
