import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Role } from '@desk/case-workflow';
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
