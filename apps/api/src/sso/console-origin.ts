import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';

/**
 * The address the request came to (scheme and host; behind a trusted proxy, what it forwarded): where the single
 * sign-on callback is, unless CONSOLE_BASE_URL says (sso-settings.service.ts consoleBaseUrl).
 */
export const ConsoleOrigin = createParamDecorator((_data: unknown, context: ExecutionContext): string => {
  const request = context.switchToHttp().getRequest<Request>();
  return `${request.protocol}://${request.host ?? 'localhost'}`;
});
