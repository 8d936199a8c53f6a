import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiExcludeEndpoint, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Role } from '@desk/case-workflow';
import { labelOf, ROLE_TERMS } from '@desk/vocabulary';
import { ErrorResponseDto } from '../common/error-response.dto';

export const ACCESS_KEY = 'ogi-desk:access';

/** `console`: a page of the staff console, signed in by its session cookie (console/console-session.ts), not a bearer token. */
export type Access = { public: true } | { public: false; roles: readonly Role[]; console?: boolean };

/** Staff only; with `roles`, only users holding one of them. Every route is staff-only unless marked @Public(). */
export function Authenticated(options: { roles?: readonly Role[] } = {}) {
  return applyDecorators(
    SetMetadata(ACCESS_KEY, { public: false, roles: options.roles ?? [] } satisfies Access),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: '未登录或登录已过期', type: ErrorResponseDto }),
    ...(options.roles?.length
      ? [ApiForbiddenResponse({ description: `需要角色：${options.roles.map((role) => labelOf(ROLE_TERMS, role)).join('、')}`, type: ErrorResponseDto })]
      : []),
  );
}

/** Open to anyone: the applicant portal's routes and the login itself. */
export function Public() {
  return SetMetadata(ACCESS_KEY, { public: true } satisfies Access);
}

/**
 * A page of the staff console: signed in through the session cookie, every write checked for its CSRF token; with
 * `roles`, only users holding one of them. Not in the OpenAPI document (pages, not the API).
 */
export function ConsolePage(...roles: Role[]) {
  return applyDecorators(SetMetadata(ACCESS_KEY, { public: false, roles, console: true } satisfies Access), ApiExcludeEndpoint());
}

/** Shorthand: staff holding one of these roles. */
export const Roles = (...roles: Role[]) => Authenticated({ roles });
