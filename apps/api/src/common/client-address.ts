import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';

/** The caller's address: the peer's, or the forwarded one when the peer is a proxy TRUST_PROXY names (app.ts). */
export const ClientAddress = createParamDecorator((_data: unknown, context: ExecutionContext): string => {
  return context.switchToHttp().getRequest<Request>().ip ?? 'unknown';
});
