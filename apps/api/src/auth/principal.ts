import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Role } from '@desk/case-workflow';
import type { API_SCOPE_TERMS } from '@desk/vocabulary';
import type { UserEntity } from '../database/entities';

/** The signed-in staff member, attached to the request by the auth guard. */
export interface Principal {
  userId: string;
  username: string;
  displayName: string;
  agencyId: string;
  departmentId: string | null;
  roles: Role[];
  sessionId: string;
}

export const CurrentUser = createParamDecorator((_data: unknown, context: ExecutionContext): Principal => {
  return context.switchToHttp().getRequest<{ principal: Principal }>().principal;
});

export function principalOf(user: Pick<UserEntity, 'id' | 'username' | 'displayName' | 'agencyId' | 'departmentId' | 'roles'>, sessionId: string): Principal {
  return {
    userId: user.id,
    username: user.username,
    displayName: user.displayName,
    agencyId: user.agencyId,
    departmentId: user.departmentId,
    roles: user.roles,
    sessionId,
  };
}

/** What an API client may do (API_SCOPE_TERMS). */
export type ApiScope = (typeof API_SCOPE_TERMS)[number]['code'];

/**
 * A platform's API client (政务服务平台), attached to the request by the auth guard on the routes declared
 * @ForApiClients. It is no staff member: it never holds a role, and the staff routes refuse it.
 */
export interface ApiClientPrincipal {
  clientId: string;
  name: string;
  /** The platform: its imports and their callbacks follow it. */
  source: string;
  /** The agency whose administrators manage the client. */
  agencyId: string;
  /** The agencies of this deployment it may address applications to. */
  agencyIds: string[];
  scopes: ApiScope[];
}

export const CurrentApiClient = createParamDecorator((_data: unknown, context: ExecutionContext): ApiClientPrincipal => {
  return context.switchToHttp().getRequest<{ apiClient: ApiClientPrincipal }>().apiClient;
});
