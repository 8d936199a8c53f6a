import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Injectable } from '@nestjs/common';
import { isoDateToChinese, isIsoDate } from '@desk/calendar';
import { fileSizeInWords } from '@desk/letters';
import Handlebars from 'handlebars';
import { templatesDirectory } from '../letters/letter-layout';

/** Which item of the portal's navigation a page belongs to (aria-current). */
export type PortalSection = 'apply' | 'track' | 'proactive' | 'guide' | null;

/**
 * Server-rendered pages: one Handlebars instance (strict: a missing value throws), every page and partial compiled at
 * start, every value escaped; helpers for Chinese dates and file sizes.
 */
@Injectable()
export class PagesService {
  private readonly handlebars = Handlebars.create();
  private readonly layout: Handlebars.TemplateDelegate;
  private readonly pages = new Map<string, Handlebars.TemplateDelegate>();
  private readonly script: string;

  constructor() {
    const directory = join(templatesDirectory(), 'pages');
    const compile = (source: string) => {
      // Compile now (Handlebars compiles lazily) so a broken page stops the service at boot.
      // preventIndent: an indented partial call must not add spaces to the lines of a <textarea>'s value.
      this.handlebars.precompile(source, { strict: true, preventIndent: true });
      return this.handlebars.compile(source, { strict: true, preventIndent: true });
    };
    this.handlebars.registerHelper('cnDate', (value: unknown) => (isIsoDate(value) ? isoDateToChinese(value) : ''));
    this.handlebars.registerHelper('fileSize', (value: unknown) => (typeof value === 'number' ? fileSizeInWords(value) : ''));
    this.handlebars.registerHelper('eq', (a: unknown, b: unknown) => a === b);
    this.handlebars.registerHelper('inc', (value: unknown) => Number(value) + 1);
    // An article of the regulation is named with it; another law's reference is shown as it is written.
    this.handlebars.registerHelper('basis', (value: unknown) =>
      typeof value === 'string' && value.startsWith('第') ? `《中华人民共和国政府信息公开条例》${value}` : typeof value === 'string' ? value : '',
    );
    for (const file of readdirSync(join(directory, 'partials')).filter((name) => name.endsWith('.hbs'))) {
      this.handlebars.registerPartial(basename(file, '.hbs'), readFileSync(join(directory, 'partials', file), 'utf8'));
    }
    this.layout = compile(readFileSync(join(directory, 'layout.hbs'), 'utf8'));
    for (const file of readdirSync(directory).filter((name) => name.endsWith('.hbs') && name !== 'layout.hbs')) {
      this.pages.set(basename(file, '.hbs'), compile(readFileSync(join(directory, file), 'utf8')));
    }
    this.script = readFileSync(join(templatesDirectory(), 'assets', 'portal.js'), 'utf8');
  }

  /** The portal's one script (progressive enhancement: the print button, focus on an error summary). */
  portalScript(): string {
    return this.script;
  }

  render(name: string, title: string, agencyName: string, data: Record<string, unknown>, section: PortalSection = null): string {
    const page = this.pages.get(name);
    if (!page) throw new Error(`no page ${name}`);
    const hasErrors = Array.isArray(data.errors) && data.errors.length > 0;
    return this.layout({ title, agencyName, page: section, hasErrors, body: page({ agencyName, ...data }) });
  }
}
