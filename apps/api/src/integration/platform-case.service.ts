import { Injectable } from '@nestjs/common';
import type { ApiClientPrincipal } from '../auth/principal';
import { CaseAccess } from '../cases/case-access.service';
import { notFound } from '../common/domain-error';
import { LettersService } from '../letters/letters.service';
import type { PlatformCaseDto } from './dto/platform.dto';
import { PlatformCaseView } from './platform-case-view';

/** A platform asks after a case it imported (scope cases:status): the case-access rule decides, the applicant's view answers. */
@Injectable()
export class PlatformCaseService {
  constructor(
    private readonly access: CaseAccess,
    private readonly view: PlatformCaseView,
    private readonly letters: LettersService,
  ) {}

  async status(client: ApiClientPrincipal, externalRef: string): Promise<PlatformCaseDto> {
    const { id } = await this.access.requireForPlatform(client, externalRef);
    return this.view.of(id);
  }

  /** A letter issued to the applicant of that case; any other letter answers like an unknown one. */
  async letter(client: ApiClientPrincipal, externalRef: string, letterId: string, format: 'html' | 'pdf') {
    const seen = await this.status(client, externalRef);
    if (!seen.letters.some((letter) => letter.id === letterId)) throw notFound('没有这份文书');
    return this.letters.content(letterId, format);
  }
}
