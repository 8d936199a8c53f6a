/** Realistic application bodies. The ID numbers carry valid check characters (GB 11643 / GB 32100 examples). */
export const PERSON_ID = '11010519491231002X';
export const PERSON_PHONE = '13812345678';
export const COMPANY_USCC = '91350100M000100Y43';

export function personApplicant(overrides: Record<string, unknown> = {}) {
  return {
    category: 'natural_person',
    name: '张三',
    idType: 'id_card',
    idNumber: PERSON_ID,
    phone: PERSON_PHONE,
    address: '上海市杨浦区示例路1号',
    ...overrides,
  };
}

export function companyApplicant(overrides: Record<string, unknown> = {}) {
  return { category: 'business', name: '上海示例置业有限公司', idType: 'uscc', idNumber: COMPANY_USCC, email: 'legal@example.com', ...overrides };
}

export function deskApplication(overrides: Record<string, unknown> = {}) {
  return {
    channel: 'in_person',
    receivedAt: '2025-09-26',
    applicant: personApplicant(),
    description: '某地块国有土地上房屋征收补偿方案及其征求意见情况',
    deliveryForm: 'paper_pickup',
    ...overrides,
  };
}

export function onlineApplication(overrides: Record<string, unknown> = {}) {
  return {
    applicant: personApplicant(),
    description: '本区2024年度公共租赁住房房源筹措和分配情况',
    deliveryForm: 'email',
    ...overrides,
  };
}
