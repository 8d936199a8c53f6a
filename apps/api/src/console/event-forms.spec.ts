// Every workflow event walked once (issues 15 and 16): its declaration has the words, the roles, the field labels, an
// OpenAPI body and a console form rendered from it. A new event that lacks any of them fails here.
import {
  declarationOf,
  eventBodySchema,
  formControls,
  payloadFromForm,
  STAFF_EVENT_TYPES,
  type CaseEventType,
  type FormControl,
  type Fields,
} from '@desk/case-workflow';
import { ConsoleViews } from './console-views';
import type { EventForm, PageControl } from './event-forms.service';

const CHINESE = /[\u4e00-\u9fff]/;

function walk(fields: Fields, visit: (name: string, label: string) => void, prefix = ''): void {
  for (const [name, field] of Object.entries(fields)) {
    visit(`${prefix}${name}`, field.label);
    if (field.fields) walk(field.fields, visit, `${prefix}${name}.`);
  }
}

function asPage(controls: FormControl[]): PageControl[] {
  return controls.map((control) => ({ ...control, options: [], controls: asPage(control.controls), items: control.items.map(asPage) }));
}

function formOf(type: CaseEventType, values: Record<string, unknown> = {}): EventForm {
  const declaration = declarationOf(type);
  return {
    type,
    label: declaration.label,
    description: declaration.description,
    article: declaration.article ?? null,
    confirm: declaration.confirm ?? null,
    at: '2025-10-09',
    atError: null,
    version: 3,
    controls: asPage(formControls(declaration.fields, values)),
    errors: [],
  };
}

describe('every event type, declared once and offered as a form', () => {
  const views = new ConsoleViews();

  it.each(STAFF_EVENT_TYPES)('%s has its words, roles, field labels, OpenAPI body and a form', (type) => {
    const declaration = declarationOf(type);
    expect(declaration.label).toMatch(CHINESE);
    expect(declaration.description).toMatch(CHINESE);
    expect(declaration.roles.length).toBeGreaterThan(0);

    const schema = eventBodySchema(type) as { title: string; properties: Record<string, { title?: string }> };
    expect(schema.title).toBe(declaration.label);
    walk(declaration.fields, (name, label) => {
      expect(label).toMatch(CHINESE);
      if (!name.includes('.')) expect(schema.properties[name]?.title).toBe(label);
    });

    const html = views.fragment('event-form', { form: formOf(type), action: `/staff/cases/x/act/${type}`, caseId: 'x', csrf: 'token' });
    expect(html).toContain(declaration.label);
    expect(html).toContain('name="_csrf" value="token"');
    expect(html).toContain('name="version" value="3"');
    expect(html).toContain('name="at"');
    // Every label is on the form; a list of groups (the risks acknowledged) starts with no rows, so only its own heading.
    for (const field of Object.values(declaration.fields)) {
      expect(html).toContain(field.label);
      const list = field.widget === 'group' && field.schema().type === 'array';
      if (field.fields && !list) for (const inner of Object.values(field.fields)) expect(html).toContain(inner.label);
    }
    for (const [name, field] of Object.entries(declaration.fields)) {
      if (field.widget === 'group') continue;
      // Files are chosen among the case's attachments: none yet, and the form says where to upload them.
      if (field.widget === 'files') expect(html).toContain('请先在案件页“附件”处上传');
      // 协办 requests are chosen among the open ones addressed to the user's department: none here, and the form says so.
      else if (field.widget === 'assistance_request') expect(html).toContain('没有发给本部门、尚待答复的协办请求');
      else expect(html).toMatch(new RegExp(`name="${name}"`));
    }
  });

  it('reads a posted form back into the payload its declaration parses: numbers, 是/否, lists and groups', () => {
    const decide = declarationOf('DECIDE');
    expect(
      payloadFromForm(decide.fields, {
        outcome: 'unavailable.not_responsible',
        reasons: '  该信息由区规划资源局制作并保存  ',
        'responsibleAgency.name': '区规划资源局',
        'responsibleAgency.contact': '021-00000000',
        disclosureMode: 'provided',
      }),
    ).toEqual({ outcome: 'unavailable.not_responsible', reasons: '该信息由区规划资源局制作并保存', responsibleAgency: { name: '区规划资源局', contact: '021-00000000' } });
    expect(payloadFromForm(declarationOf('REQUEST_SUPPLEMENT').fields, { items: '请写明文号\r\n\r\n 请提供身份证件 ', periodWorkingDays: '10' })).toEqual({
      items: ['请写明文号', '请提供身份证件'],
      periodWorkingDays: 10,
    });
    expect(payloadFromForm(declarationOf('DECIDE_PROACTIVE').fields, { publish: 'yes', reason: '多人申请' })).toEqual({ publish: true, reason: '多人申请' });
    expect(payloadFromForm(declarationOf('DECIDE_PROACTIVE').fields, { publish: 'no', reason: '涉及个人信息', title: '留下的标题' })).toEqual({ publish: false, reason: '涉及个人信息' });
    expect(
      payloadFromForm(declarationOf('APPROVE').fields, { 'acknowledgedRisks.1.code': 'reply_late', 'acknowledgedRisks.1.comment': '已核实', 'acknowledgedRisks.0.code': 'weak_reasons', 'acknowledgedRisks.0.comment': '理由已补充' }),
    ).toEqual({
      acknowledgedRisks: [
        { code: 'weak_reasons', comment: '理由已补充' },
        { code: 'reply_late', comment: '已核实' },
      ],
    });
  });

  it('gives back what was typed, line by line, when a form is shown again after a refusal', () => {
    const typed = '一、2024年度保障性租赁住房项目认定书；\n二、上述认定书的附件。\n  （缩进的一行也原样保留）';
    /** The value of the <textarea name=…> as a browser reads it: one newline right after the tag dropped, entities decoded. */
    const valueOf = (html: string, name: string) => {
      const textarea = new RegExp(`<textarea[^>]*name="${name}"[^>]*>([\\s\\S]*?)</textarea>`).exec(html);
      if (!textarea) throw new Error(`no textarea ${name}`);
      return textarea[1].replace(/^\n/, '').replace(/&#x3D;/g, '=').replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
    };
    // The desk's intake form (its partial is called on an indented line) and an event's form.
    expect(valueOf(views.fragment('intake', { values: { description: typed }, fieldErrors: {}, errors: [] }), 'description')).toBe(typed);
    const decision = views.fragment('event-form', { form: formOf('DECIDE', { outcome: 'withheld.process_info', reasons: typed }), action: '/a', caseId: 'x', csrf: 't' });
    expect(valueOf(decision, 'reasons')).toBe(typed);
  });

  it('hides what the choice made irrelevant, and says on the page which choices show it', () => {
    const html = views.fragment('event-form', { form: formOf('DECIDE', { outcome: 'withheld.process_info' }), action: '/a', caseId: 'x', csrf: 't' });
    /** The attributes of the control wrapping the field `name`. */
    const wrapper = (name: string) => {
      const at = html.indexOf(`id="field-${name}"`);
      const start = html.lastIndexOf('<div class="control"', at);
      return html.slice(start, html.indexOf('>', start) + 1);
    };
    expect(wrapper('disclosureMode')).toMatch(/ hidden data-show-when-outcome="disclosed "/);
    expect(wrapper('reasons')).not.toMatch(/ hidden/);
    expect(wrapper('withheldBasis')).toMatch(/ hidden data-show-when-outcome="partial "/);
  });
});
