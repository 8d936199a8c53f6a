import { ROLE_TERMS } from '@desk/vocabulary';
import { ViewBoolean, ViewCodeList, ViewInt, ViewText, ViewUuid } from '../../common/view-properties';

export class DepartmentViewDto {
  @ViewUuid('部门编号') id!: string;
  @ViewText('部门名称') name!: string;
  @ViewInt('在用用户数') activeUsers!: number;
}

export class CreatedDepartmentDto {
  @ViewUuid('部门编号') id!: string;
  @ViewText('部门名称') name!: string;
}

/** A user of the administrator's agency; never the password. */
export class UserViewDto {
  @ViewUuid('用户 id') id!: string;
  @ViewText('用户名') username!: string;
  @ViewText('姓名') displayName!: string;
  @ViewCodeList(ROLE_TERMS, '角色') roles!: string[];
  @ViewText('所属部门名称', { nullable: true }) department!: string | null;
  @ViewText('电子邮箱', { nullable: true }) email!: string | null;
  @ViewBoolean('启用；停用的用户不能登录') active!: boolean;
  @ViewBoolean('演示账号（生产环境不能登录）') isDemo!: boolean;
}
