import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiExcludeEndpoint, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { ROLES, type Role } from '@desk/case-workflow';
import { API_SCOPE_TERMS, labelOf, ROLE_TERMS } from '@desk/vocabulary';
import { ErrorResponseDto } from '../common/error-response.dto';
import type { ApiScope } from './principal';

export const ACCESS_KEY = 'ogi-desk:access';

/** The OpenAPI security scheme of the platforms' API clients (app.ts declares it beside the staff's bearer scheme). */
export const API_CLIENT_SECURITY = 'api-client';

/**
 * Who may call a route: anyone; staff (holding one of `roles`, when given); or the API clients of the platforms holding
 * every one of `scopes`. Staff and clients never reach each other's routes.
 */
export type Access =
  | { public: true }
  /** `console`: a page of the staff console, signed in by its session cookie (console/console-session.ts), not a bearer token. */
  | { public: false; apiClient?: false; roles: readonly Role[]; console?: boolean }
  | { public: false; apiClient: true; scopes: readonly ApiScope[] };

/** Staff only; with `roles`, only users holding one of them. Every route is staff-only unless marked @Public() or @ForApiClients(). */
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

/**
 * Staff holding any role: for what is agency-wide (the annual report). An account opened at its first single sign-on
 * holds no role until an administrator grants one, and must read nothing of the agency meanwhile.
 */
export const AnyStaffRole = () => Authenticated({ roles: ROLES });

/** The API clients of the platforms (issue 19) holding every one of these scopes; never staff. */
export function ForApiClients(...scopes: ApiScope[]) {
  const words = scopes.map((scope) => labelOf(API_SCOPE_TERMS, scope)).join('、');
  return applyDecorators(
    SetMetadata(ACCESS_KEY, { public: false, apiClient: true, scopes } satisfies Access),
    ApiBearerAuth(API_CLIENT_SECURITY),
    ApiUnauthorizedResponse({ description: 'API 客户端凭据无效、已轮换失效或已停用', type: ErrorResponseDto }),
    ApiForbiddenResponse({ description: `仅供政务服务平台的 API 客户端调用，需要授权范围：${words}`, type: ErrorResponseDto }),
  );
}
