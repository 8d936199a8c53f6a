import { ROLE_TERMS } from '@desk/vocabulary';
import type { Principal } from '../principal';
import { ViewCodeList, ViewDateTime, ViewNested, ViewText, ViewUuid } from '../../common/view-properties';

type SignedInUser = Omit<Principal, 'sessionId'>;

/** The signed-in staff member (GET /api/auth/me, and with the token on sign-in). */
export class CurrentUserDto implements SignedInUser {
  @ViewUuid('用户 id') userId!: string;
  @ViewText('用户名', { example: 'handler' }) username!: string;
  @ViewText('姓名') displayName!: string;
  @ViewUuid('所属机关 id') agencyId!: string;
  @ViewUuid('所属部门 id', { nullable: true }) departmentId!: string | null;
  @ViewCodeList(ROLE_TERMS, '角色') roles!: SignedInUser['roles'];
}

export class LoginResponseDto {
  @ViewText('访问令牌：以 Authorization: Bearer <令牌> 发送') accessToken!: string;
  @ViewDateTime('令牌失效时间') expiresAt!: string;
  @ViewNested(CurrentUserDto, '登录的用户') user!: CurrentUserDto;
}
