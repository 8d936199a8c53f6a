import PDFDocument from 'pdfkit';
import { CHANNEL_TERMS, DELIVERY_FORM_TERMS, REQUEST_TYPE_TERMS } from '@desk/vocabulary';
import type { AgencyEntity } from '../database/entities';
import { MM, startPdf } from '../letters/letter-layout';

/**
 * The printable 政府信息公开申请表 (Art. 29 ¶2: who applies, how to reach them, what is asked for, in what form), with
 * the agency's addresses for each way of sending it, from the agency's settings. For applicants who write rather than
 * type, and for the desk, which hands it out.
 */
export function applicationFormPdf(agency: AgencyEntity, date: string): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 18 * MM, bottom: 16 * MM, left: 18 * MM, right: 18 * MM },
    info: { Title: '政府信息公开申请表', Creator: '依申请公开 Desk', CreationDate: new Date(`${date}T00:00:00+08:00`) },
  });
  const done = startPdf(doc);
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  const settings = agency.settings;

  doc.font('title').fontSize(18).text('政府信息公开申请表', left, doc.y, { width, align: 'center' });
  doc.font('body').fontSize(10).text(`致：${agency.name}政府信息公开工作机构`, { width, align: 'center' }).moveDown(0.6);

  const box = (y: number, height: number) => doc.rect(left, y, width, height).stroke();
  /** One row: a label cell and an empty cell to write in (or the given text), `height` lines tall. */
  const row = (label: string, height = 1.35, text = '') => {
    const y = doc.y;
    const h = height * 16;
    if (y + h > doc.page.height - doc.page.margins.bottom) doc.addPage();
    const top = doc.y;
    box(top, h);
    doc.moveTo(left + 36 * MM, top).lineTo(left + 36 * MM, top + h).stroke();
    doc.font('body').fontSize(10).text(label, left + 2 * MM, top + 4, { width: 32 * MM });
    if (text) doc.text(text, left + 38 * MM, top + 4, { width: width - 40 * MM });
    doc.x = left;
    doc.y = top + h;
  };
  const heading = (text: string) => {
    const y = doc.y;
    doc.rect(left, y, width, 18).fillAndStroke('#eeeeee', '#000000').fillColor('#000000');
    doc.font('title').fontSize(11).text(text, left + 2 * MM, y + 4, { width });
    doc.x = left;
    doc.y = y + 18;
  };
  const tick = (codes: readonly { label: string }[]) => codes.map((term) => `□ ${term.label}`).join('   ');

  doc.lineWidth(0.6);
  heading('申请类型');
  row('申请类型', 1.35, tick(REQUEST_TYPE_TERMS));
  heading('申请人信息（公民）');
  row('姓名');
  row('证件名称、号码', 1.35, '证件名称：　　　　　　　　号码：');
  heading('申请人信息（法人或者其他组织）');
  row('名称');
  row('统一社会信用代码');
  row('法定代表人或负责人');
  heading('联系方式（至少填写一项）');
  row('联系电话');
  row('电子邮箱');
  row('通信地址、邮编', 1.6);
  heading('代理人（委托他人代为申请的填写，并附授权委托书）');
  row('代理人姓名或名称');
  row('代理人联系方式');
  heading('所需信息');
  row('所需政府信息的名称、文号或者便于查询的其他特征性描述（申请更正的，写明需更正的记录和理由）', 6);
  row('获取信息的方式', 2.2, tick(DELIVERY_FORM_TERMS));
  row('申请人签名或者盖章', 2, '\n　　　　　　　　　　　　　　　　　　　　　　　年　　月　　日');
  doc.moveDown(0.5);

  doc.font('title').fontSize(10).text('提交方式和收到申请之日（《中华人民共和国政府信息公开条例》第二十九条、第三十一条）', { width });
  doc.font('body').fontSize(8.5);
  const ways: [string, string][] = [
    ['in_person', `当面提交：${settings.address}（${settings.officeHours}）`],
    ['post_signed', `邮寄：${settings.address}，邮政编码 ${settings.postcode}，请在信封上注明“政府信息公开申请”`],
    ['fax', `传真：${settings.fax}`],
    ['email', `电子邮件：${settings.email}`],
    ['online', '网上申请：本机关政府信息公开网站“在线申请”'],
  ];
  for (const [channel, how] of ways) {
    const hint = CHANNEL_TERMS.find((term) => term.code === channel)?.hint ?? '';
    doc.text(`· ${how}——${hint}`, { width, lineGap: 1 });
  }
  doc.text(`· 咨询电话：${settings.phone}。申请不需要说明用途。本机关自收到申请之日起20个工作日内答复（第三十三条）。`, { width, lineGap: 1 });
  doc.end();
  return done;
}
