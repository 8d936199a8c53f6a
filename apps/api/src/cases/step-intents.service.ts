import { Injectable } from '@nestjs/common';
import type { Intent } from '@desk/case-workflow';
import type { EntityManager } from 'typeorm';
import { LettersService, type LetterStepContext } from '../letters/letters.service';
import { ApplicantNotices } from '../portal/applicant-notices.service';
import { ProactiveService } from './proactive.service';
import { RedactionRepository } from '../redaction/redaction.repository';

/** A step as its intents need it: the letters' context, with the step's payload as it will be logged. */
export type StepContext = LetterStepContext;

/**
 * Carries out what a step asks for (its declaration's effects, returned by the machine's pure transition), inside the
 * step's transaction: a failure refuses the whole step. One case per kind of intent, not per event.
 */
@Injectable()
export class StepIntents {
  constructor(
    private readonly letters: LettersService,
    private readonly proactive: ProactiveService,
    private readonly applicantNotices: ApplicantNotices,
    private readonly redactions: RedactionRepository,
  ) {}

  /** What the step notes in its own log entry; carried out before the entry is written (the clock reads it). */
  notes(intents: readonly Intent[]): Record<string, unknown> {
    return Object.assign({}, ...intents.map((intent) => (intent.type === 'note_in_log' ? intent.facts : {})));
  }

  /** Whether carrying the intents out writes anything (all but the log's own notes do): the step then needs a transaction. */
  write(intents: readonly Intent[]): boolean {
    return intents.some((intent) => intent.type !== 'note_in_log');
  }

  async carryOut(manager: EntityManager, intents: readonly Intent[], context: StepContext): Promise<void> {
    for (const intent of intents) {
      switch (intent.type) {
        case 'note_in_log':
          break;
        case 'issue_notice':
          await this.letters.issueNotice(manager, context, intent.kind, intent.facts, intent);
          break;
        case 'draft_reply':
          await this.letters.draftReply(manager, context);
          break;
        case 'review_reply':
          await this.letters.reviewReply(manager, context, intent.decision, intent.step);
          break;
        case 'issue_reply': {
          const letterId = await this.letters.issueReply(manager, context);
          // Art. 37: the redacted copies go with the reply: they are what the applicant receives.
          await this.redactions.discloseWithReply(manager, context.row.id, letterId);
          break;
        }
        case 'issue_disclosure_decision_notice':
          await this.letters.issueDisclosureDecisionNotice(manager, context);
          break;
        case 'publish_proactively':
          await this.proactive.publish(manager, context.row.id, context.agency, context.at, context.payload);
          break;
        case 'tell_applicant':
          await this.applicantNotices.tell(manager, intent.about, context);
          break;
      }
    }
  }
}
