import { files, text } from './fields';
import { declareEvent, type MachineEvent } from './declaration';

const fields = {
  scope: text({ label: '检索范围', max: 2000, multiline: true, help: '检索的系统、档案和询问的单位', example: '档案室纸质档案；OA 公文系统 2018-2025' }),
  terms: text({ label: '检索词', max: 2000, example: '旧区改造 补偿方案' }),
  result: text({ label: '检索结果', max: 2000, multiline: true, example: '未检索到相关信息' }),
  attachmentIds: files({ label: '检索记录附件', maxItems: 20, optional: true, help: '检索登记表、系统截图等，先上传为本案附件' }),
};

/** 检索记录: proof of an adequate search (SPC guiding case 101). */
export type RecordSearchEvent = MachineEvent<'RECORD_SEARCH', typeof fields>;

export const recordSearch = declareEvent<RecordSearchEvent>({
  type: 'RECORD_SEARCH',
  label: '记录检索',
  description: '记录检索的范围、检索词、结果和检索人，作为已尽检索义务的证据',
  article: '最高人民法院指导案例101号',
  origin: 'staff',
  roles: ['handler'],
  fields,
  record: (context) => ({ searchRecordCount: context.searchRecordCount + 1 }),
});
