import 'reflect-metadata';
import { getMetadataStorage, type ValidationArguments } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';
// Every controller, hence every DTO of the HTTP edge and the console's forms, with its validation decorators.
import '../api.module';

// House rule: no code word (withheld.process_info, id_card, in_review, pdf) in an error message. The validation
// pipe sends each DTO's class-validator message as written when it is in Chinese (flattenValidationErrors replaces an
// English one with “<label> 填写有误”), so every Chinese message of every DTO is read here, as the pipe would send it.

const HAS_CHINESE = /[\u4e00-\u9fff]/;

/** Identifiers as code writes them: dotted or snake_case (withheld.process_info, id_card), camelCase (queryCode), UPPER_SNAKE. */
const CODE_WORD = /(?<![A-Za-z0-9/])(?:[a-z][a-z0-9]*(?:[._][a-z0-9]+)+|[a-z]+[A-Z][A-Za-z0-9]*|[A-Z][A-Z0-9]*_[A-Z0-9_]+)(?![A-Za-z0-9])/;

interface Message {
  where: string;
  text: string;
  /** The codes an `IsIn` accepts: the message must name them by their labels instead. */
  choices: string[];
}

/** The message class-validator gives for a failed rule (a fixed text, a function of the arguments, or the rule's default). */
function messageOf(target: Function, metadata: ValidationMetadata): string | undefined {
  const args: ValidationArguments = { value: 'x', constraints: metadata.constraints ?? [], targetName: target.name, object: {}, property: metadata.propertyName };
  if (typeof metadata.message === 'function') return metadata.message(args);
  if (typeof metadata.message === 'string') return metadata.message;
  const constraint = metadata.constraintCls ? (new (metadata.constraintCls as new () => { defaultMessage?: (args: ValidationArguments) => string })()) : undefined;
  return constraint?.defaultMessage?.(args);
}

function dtoMessages(): Message[] {
  const storage = getMetadataStorage() as unknown as { validationMetadatas: Map<Function, ValidationMetadata[]> };
  return [...storage.validationMetadatas].flatMap(([target, metadatas]) =>
    metadatas.flatMap((metadata) => {
      const text = messageOf(target, metadata);
      if (!text || !HAS_CHINESE.test(text)) return [];
      const [first] = metadata.constraints ?? [];
      const choices = metadata.name === 'isIn' && Array.isArray(first) ? first.filter((code): code is string => typeof code === 'string') : [];
      return [{ where: `${target.name}.${metadata.propertyName} (${metadata.name ?? metadata.type})`, text, choices }];
    }),
  );
}

describe('validation messages of the DTOs (what a 400 says to a person)', () => {
  const messages = dtoMessages();

  it('are read from every DTO', () => {
    const classes = new Set(messages.map((message) => message.where.split('.')[0]));
    for (const dto of ['DeskApplicationDto', 'ApplicantDto', 'AddRegionDto', 'ServiceCertificateQueryDto', 'ReportDocumentQueryDto', 'CreateApiClientDto', 'UpdateSsoSettingsDto']) {
      expect(classes).toContain(dto);
    }
    expect(messages.length).toBeGreaterThan(200);
  });

  it('contain no code word: a choice is named by its label from the vocabulary, never by its code', () => {
    const offending = messages.filter((message) => {
      const words = message.text.split(/[^A-Za-z0-9_.]+/);
      return CODE_WORD.test(message.text) || message.choices.some((code) => /[A-Za-z]/.test(code) && words.includes(code));
    });
    expect(offending.map((message) => `${message.where}: ${message.text}`)).toEqual([]);
  });

  it('list the choices of a vocabulary by their labels', () => {
    const byField = (where: string) => messages.find((message) => message.where.startsWith(where))!.text;
    expect(byField('AddRegionDto.reason (isIn)')).toBe(
      '不予公开的理由 应为以下之一：属于国家秘密（第十四条）、其他法律行政法规禁止公开（第十四条）、危及“三安全一稳定”（第十四条）、保护第三方合法权益（第十五条、第三十二条）、属于三类内部事务信息（第十六条第一款）、属于四类过程性信息（第十六条第二款）、属于行政执法案卷（第十六条第二款）',
    );
    expect(byField('ServiceCertificateQueryDto.method (isIn)')).toBe('送达方式 应为以下之一：直接送达、委托送达');
    expect(byField('ServiceCertificateQueryDto.format (isIn)')).toBe('文件格式 应为以下之一：PDF 文件、Word 文档');
    expect(byField('ReportDocumentQueryDto.format (isIn)')).toBe('文件格式 应为以下之一：PDF 文件、Word 文档');
  });
});
