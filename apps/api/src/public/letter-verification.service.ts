import { Inject, Injectable } from '@nestjs/common';
import { normaliseVerificationCode } from '@desk/letters';
import type { AppConfig } from '../config/app-config';
import { notFound, tooManyRequests } from '../common/domain-error';
import { FailureCounter } from '../common/failure-counter';
import { isReadableText } from '../common/input-guard';
import { APP_CONFIG } from '../common/tokens';
import { LettersService, type VerifiedLetter } from '../letters/letters.service';

/**
 * 文书核验 (/verify, no sign-in): a letter's 验证码 shows what the agency issued under it, so a printout can be checked.
 * Guessed codes are throttled as public tracking is: PUBLIC_TRACKING_MAX_FAILURES unknown codes from one address in
 * PUBLIC_TRACKING_WINDOW_SECONDS, then 429 for the rest of the window (a code has 60 bits: guessing is hopeless anyway,
 * and the throttle keeps the page from being used to enumerate).
 */
@Injectable()
export class LetterVerificationService {
  private readonly failures: FailureCounter;

  constructor(
    private readonly letters: LettersService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.failures = new FailureCounter(config.PUBLIC_TRACKING_WINDOW_SECONDS * 1000);
  }

  async verify(input: string, address: string): Promise<VerifiedLetter> {
    if (this.failures.count(address) >= this.config.PUBLIC_TRACKING_MAX_FAILURES) {
      throw tooManyRequests(`核验失败次数过多，请 ${Math.ceil(this.config.PUBLIC_TRACKING_WINDOW_SECONDS / 60)} 分钟后再试`);
    }
    const code = isReadableText(input) ? normaliseVerificationCode(input) : null;
    const letter = code ? await this.letters.verify(code) : null;
    if (letter) return letter;
    this.failures.fail(address);
    throw notFound('没有这个验证码对应的文书，请核对文书上印制的验证码（12 位字母和数字）');
  }
}
