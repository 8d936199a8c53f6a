import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';

/** The caller's address (behind a loopback proxy, the forwarded one: app.ts trusts loopback only). */
export const ClientAddress = createParamDecorator((_data: unknown, context: ExecutionContext): string => {
  return context.switchToHttp().getRequest<Request>().ip ?? 'unknown';
});
