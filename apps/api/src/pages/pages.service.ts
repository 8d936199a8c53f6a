import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Injectable } from '@nestjs/common';
import Handlebars from 'handlebars';
import { templatesDirectory } from '../letters/letter-layout';

/** Server-rendered pages: one Handlebars instance, every page compiled at start, every value escaped. */
@Injectable()
export class PagesService {
  private readonly handlebars = Handlebars.create();
  private readonly layout: Handlebars.TemplateDelegate;
  private readonly pages = new Map<string, Handlebars.TemplateDelegate>();
  private readonly staff: string;

  constructor() {
    const directory = join(templatesDirectory(), 'pages');
    const load = (name: string) => this.handlebars.compile(readFileSync(join(directory, `${name}.hbs`), 'utf8'));
    this.layout = load('layout');
    for (const name of ['apply', 'applied', 'track', 'proactive', 'guide', 'verify']) this.pages.set(name, load(name));
    this.staff = readFileSync(join(directory, 'staff.html'), 'utf8');
  }

  staffConsole(): string {
    return this.staff;
  }

  render(name: string, title: string, agencyName: string, data: Record<string, unknown>): string {
    const page = this.pages.get(name);
    if (!page) throw new Error(`no page ${name}`);
    return this.layout({ title, agencyName, body: page({ agencyName, ...data }) });
  }
}
