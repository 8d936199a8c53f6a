import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import Handlebars from 'handlebars';
import { isoDateToChinese } from '@desk/calendar';
import { PROVISIONAL_DATE_NOTE } from './grounds';
import { normaliseLetterData, type LetterData } from './letter-data';

/**
 * One block of a letter: what both the HTML page and the PDF lay out. `request` is the applicant's quoted request,
 * the applicant's words and not the agency's (the legal checker never reads it as the agency's text).
 */
export interface LetterBlock {
  /** `verification`: the 验证码 line an issued letter carries under its 附注 (verification.ts), with its QR code beside it. */
  role: 'title' | 'doc-number' | 'addressee' | 'paragraph' | 'request' | 'item' | 'signature' | 'date' | 'seal' | 'note' | 'verification';
  text: string;
}

/** The blocks of the signature (署名, 印章, 成文日期) and the 附注 below it (GB/T 9704-2012 7.3.5, 7.3.6). */
export const SIGNATURE_ROLES: ReadonlySet<LetterBlock['role']> = new Set(['signature', 'seal', 'date', 'note']);

/** Ends a sentence: a stop, or a quotation that closes on its own stop. A closing bracket does not (…（共3页）。). */
const SENTENCE_END = /(?:[。！？；…!?]|[。！？][”’」』])$/u;

/** A fill-in ending a sentence gets its full stop, unless it already ends with one (never 。。). */
export function asSentence(text: string): string {
  const trimmed = text.trim();
  return !trimmed || SENTENCE_END.test(trimmed) ? trimmed : `${trimmed}。`;
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#x27;': "'", '&#39;': "'", '&#x3D;': '=', '&#x60;': '`' };

/**
 * The templates print a constrained markup: <h1 class="title">, and <p class="…"> blocks, nothing inline. It is valid HTML
 * for the preview and parses into blocks for the PDF.
 */
export function parseLetterMarkup(markup: string): LetterBlock[] {
  const blocks: LetterBlock[] = [];
  for (const match of markup.matchAll(/<(h1|p)(?:\s+class="([a-z-]+)")?>([\s\S]*?)<\/\1>/g)) {
    const role = (match[1] === 'h1' ? 'title' : (match[2] ?? 'paragraph')) as LetterBlock['role'];
    // The title keeps its line break (agency name, then the letter's name); other blocks are one paragraph each.
    const text = match[3].trim().replace(/\s*\n\s*/g, role === 'title' ? '\n' : '').replace(/&(amp|lt|gt|quot|#x27|#39|#x3D|#x60);/g, (entity) => ENTITIES[entity]);
    if (text.trim()) blocks.push({ role, text: text.trim() });
  }
  return blocks;
}

export function blocksToText(blocks: readonly LetterBlock[]): string {
  return blocks.map((block) => block.text).join('\n');
}

/**
 * Handlebars with `strict` (a missing variable throws), auto-escaping of every value, Chinese dates, and every template
 * compiled at construction, so a broken template stops the service at boot.
 */
export class LetterTemplates {
  private readonly handlebars = Handlebars.create();
  private readonly templates = new Map<string, Handlebars.TemplateDelegate>();

  constructor(directory: string) {
    this.handlebars.registerHelper('cnDate', (value: unknown) => (typeof value === 'string' && value ? isoDateToChinese(value) : '　　年　月　日'));
    this.handlebars.registerHelper('eq', (a: unknown, b: unknown) => a === b);
    this.handlebars.registerHelper('inc', (value: unknown) => Number(value) + 1);
    this.handlebars.registerHelper('startsWith', (a: unknown, b: unknown) => typeof a === 'string' && typeof b === 'string' && a.startsWith(b));
    this.handlebars.registerHelper('sentence', (value: unknown) => asSentence(typeof value === 'string' ? value : ''));
    this.handlebars.registerHelper('provisionalNote', () => PROVISIONAL_DATE_NOTE);
    for (const file of readdirSync(join(directory, 'partials')).filter((name) => name.endsWith('.hbs'))) {
      this.handlebars.registerPartial(basename(file, '.hbs'), readFileSync(join(directory, 'partials', file), 'utf8'));
    }
    for (const file of readdirSync(join(directory, 'letters')).filter((name) => name.endsWith('.hbs'))) {
      const source = readFileSync(join(directory, 'letters', file), 'utf8');
      const template = this.handlebars.compile(source, { strict: true });
      // Compile now (Handlebars compiles lazily) so syntax errors surface at boot.
      this.handlebars.precompile(source, { strict: true });
      this.templates.set(basename(file, '.hbs'), template);
    }
  }

  names(): string[] {
    return [...this.templates.keys()].sort();
  }

  /** The template of a letter: the reply has one per outcome family. */
  templateFor(data: LetterData): string {
    if (data.kind === 'reply' && data.decision) {
      const family = data.decision.outcome.split('.')[0].replace('_', '-');
      return `reply-${family}`;
    }
    return data.kind.replace(/_/g, '-');
  }

  render(stored: LetterData): { markup: string; blocks: LetterBlock[]; text: string } {
    const data = normaliseLetterData(stored);
    const name = this.templateFor(data);
    const template = this.templates.get(name);
    if (!template) throw new Error(`no letter template ${name}`);
    const markup = template(data);
    const blocks = parseLetterMarkup(markup);
    return { markup, blocks, text: blocksToText(blocks) };
  }
}
