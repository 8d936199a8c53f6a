import { PERSONAL_DATA_ACTION_TERMS } from '@desk/vocabulary';
import { ViewCode, ViewDateTime, ViewInt, ViewNested, ViewText, ViewTextList } from '../../common/view-properties';

/** One access to applicants' personal data (个人信息保护法 Art. 51, 54). */
export class PersonalDataAccessDto {
  @ViewText('记录编号') id!: string;
  @ViewDateTime('时间') at!: string;
  @ViewText('用户名') username!: string;
  @ViewCode(PERSONAL_DATA_ACTION_TERMS, '做了什么') action!: string;
  @ViewText('说明：查看完整号码的用途、文书的格式、附件的文件名', { nullable: true }) detail!: string | null;
  @ViewText('网络地址') address!: string;
  @ViewTextList('涉及的案件编号') caseNumbers!: string[];
}

/** GET /api/audit/personal-data: newest first. */
export class PersonalDataAccessPageDto {
  @ViewNested(PersonalDataAccessDto, '本页的记录，最新的在前', { list: true }) items!: PersonalDataAccessDto[];
  @ViewInt('符合条件的记录总数') total!: number;
  @ViewInt('页码') page!: number;
  @ViewInt('每页条数') pageSize!: number;
}
