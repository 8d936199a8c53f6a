import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { invalid } from './domain-error';
import { errorBody } from './exception.filter';

/** Far deeper than any body this API takes (an application is three levels); deep enough never to refuse a real one. */
export const MAX_JSON_DEPTH = 32;

// A NUL (PostgreSQL text cannot hold it) or half of a UTF-16 surrogate pair (no character at all: it cannot be encoded).
const UNREADABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function isReadableText(text: string): boolean {
  return !UNREADABLE.test(text);
}

/**
 * What is wrong with a parsed JSON body or query, in words for the person who sent it; null when nothing is. Walked
 * without recursion, so a body nested ten thousand levels deep is measured, not a stack overflow.
 */
export function unreadableInputProblem(value: unknown): string | null {
  const pending: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  while (pending.length) {
    const { value: current, depth } = pending.pop()!;
    if (typeof current === 'string') {
      if (!isReadableText(current)) return '请求内容含有无法处理的字符（空字符或残缺的字符编码），请删除后重试';
      continue;
    }
    if (!current || typeof current !== 'object') continue;
    if (depth >= MAX_JSON_DEPTH) return `请求内容嵌套层数过多（最多 ${MAX_JSON_DEPTH} 层）`;
    for (const [key, inner] of Object.entries(current)) {
      if (!isReadableText(key)) return '请求内容的字段名含有无法处理的字符，请删除后重试';
      pending.push({ value: inner, depth: depth + 1 });
    }
  }
  return null;
}

/**
 * After the body parsers: a body or query the service cannot hold (a NUL, a lone surrogate, nesting past any real
 * request) is answered 400 here, before any route, DTO or SQL sees it — those crashed on it with 500s.
 */
export function inputGuardMiddleware(logger: Logger) {
  return (request: Request, response: Response, next: NextFunction) => {
    // %00 in the path or the query: a NUL in a route parameter (a case number) as well as in a query value.
    const problem = /%00/.test(request.originalUrl)
      ? '请求地址含有无法处理的字符（空字符），请删除后重试'
      : (unreadableInputProblem(request.body) ?? unreadableInputProblem(request.query));
    if (!problem) {
      next();
      return;
    }
    const body = errorBody(invalid(problem), logger);
    response.status(body.statusCode).json(body);
  };
}
