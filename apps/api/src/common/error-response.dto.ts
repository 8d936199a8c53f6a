import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ViewInt, ViewText, ViewTextList } from './view-properties';

/**
 * Every error answer (api.md): `{ statusCode, error, message }`, as exception.filter.ts writes it. `message` is always
 * one text a person can act on: where there are several problems (a form's fields) they are joined with “；” in it and
 * listed one by one in `details`.
 */
export class ErrorResponseDto {
  @ViewInt('HTTP 状态码', { example: 400 }) statusCode!: number;
  @ViewText('HTTP 状态名称（英文，如 Bad Request、Conflict）', { example: 'Bad Request' }) error!: string;
  @ViewText('出了什么问题、怎样处理：写给人看的中文说明；有多项问题时以“；”连接', { example: '姓名或名称 不能为空' }) message!: string;
  @ViewTextList('逐项问题（如每个填写有误的字段，以其中文名称开头）', { optional: true }) details?: string[];
  @ViewText('服务器内部错误或数据库连接中断时的编号，请管理员据此查找日志', { optional: true }) correlationId?: string;
}

/** The error statuses a route may answer besides those every route may (500, 503: openapi-document.ts). */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 422 | 429 | 503;

const GENERIC: Record<ErrorStatus, string> = {
  400: '请求填写有误：message 逐项说明（以字段的中文名称）',
  401: '未登录或登录已过期',
  403: '当前用户的角色不能办理此事项',
  404: '没有这项记录，或当前用户无权查看（两者答复相同）',
  409: '与现有记录冲突',
  413: '请求内容或上传的文件过大',
  422: '与同一 Idempotency-Key 第一次提交的内容不同',
  429: '尝试次数过多，请稍后再试',
  503: '数据库不可用',
};

/**
 * The error answers of a route, each the common error body: `@ApiErrors(400, 404)`, or with the route's own words
 * `@ApiErrors(400, [409, '当前状态不允许该事件…'])`.
 */
export function ApiErrors(...errors: (ErrorStatus | [ErrorStatus, string])[]) {
  return applyDecorators(
    ...errors.map((error) => {
      const [status, description] = Array.isArray(error) ? error : [error, GENERIC[error]];
      return ApiResponse({ status, description, type: ErrorResponseDto });
    }),
  );
}
