// Every migration, in order. Listed explicitly so the compiled app, the CLI and Jest load exactly the same set.
import { InitialSchema1763884800000 } from './1763884800000-initial-schema';
import { SeedOfficialCalendar1763884800001 } from './1763884800001-seed-official-calendar';
import { JobsNotificationsCalendarChanges1763971200000 } from './1763971200000-jobs-notifications-calendar-changes';
import { NumberSequencesAttachments1764057600000 } from './1764057600000-number-sequences-attachments';
import { Letters1764144000000 } from './1764144000000-letters';
import { DisputesProactiveReportLocks1764230400000 } from './1764230400000-disputes-proactive-report-locks';
import { IdempotencyKeys1764316800000 } from './1764316800000-idempotency-keys';
import { PersonalDataEncryption1764403200000 } from './1764403200000-personal-data-encryption';
import { EncryptPersonalData1764403200001 } from './1764403200001-encrypt-personal-data';
import { DropClearPersonalData1764403200002 } from './1764403200002-drop-clear-personal-data';
import { PurgeDroppedPersonalData1764403200003 } from './1764403200003-purge-dropped-personal-data';
import { FirstConclusion1764489600000 } from './1764489600000-first-conclusion';
import { QueueIndexes1764576000000 } from './1764576000000-queue-indexes';
import { LetterReviewRisks1764662400140 } from './1764662400140-letter-review-risks';
import { IdempotencyExpiryLettersNoTruncate1764748800000 } from './1764748800000-idempotency-expiry-letters-no-truncate';
import { PlatformIntegration1796649108906 } from './1796649108906-platform-integration';
import { ApplicantOnline1796649317471 } from './1796649317471-applicant-online';
import { NotificationsSmsIndex1796649317472 } from './1796649317472-notifications-sms-index';
import { DocumentsVerificationRedaction1796649464215 } from './1796649464215-documents-verification-redaction';
import { LettersVerificationCodeIndex1796649464216 } from './1796649464216-letters-verification-code-index';
import { AgencySettingsChanges1796650232039 } from './1796650232039-agency-settings-changes';
import { StaffSingleSignOn1796655846698 } from './1796655846698-staff-single-sign-on';
import { LetterNumbersPerAgency1796700000000 } from './1796700000000-letter-numbers-per-agency';
import { ProactiveIndexNumbersPerAgency1796700000001 } from './1796700000001-proactive-index-numbers-per-agency';
import { QueueCountIndexes1796700000002 } from './1796700000002-queue-count-indexes';
import { ReportIndexesPerAgency1796800000010 } from './1796800000010-report-indexes-per-agency';
import { QueueKeysetIndexes1796800000020 } from './1796800000020-queue-keyset-indexes';
import { QueueSearchTrigrams1796800000021 } from './1796800000021-queue-search-trigrams';
import { ConclusionCounts1796800000030 } from './1796800000030-conclusion-counts';
import { ConsoleCountIndexes1796800000031 } from './1796800000031-console-count-indexes';
import { HomeCountIndexes1796800000032 } from './1796800000032-home-count-indexes';
import { QueueTextMatches1796800000040 } from './1796800000040-queue-text-matches';

export const MIGRATIONS = [
  InitialSchema1763884800000,
  SeedOfficialCalendar1763884800001,
  JobsNotificationsCalendarChanges1763971200000,
  NumberSequencesAttachments1764057600000,
  Letters1764144000000,
  DisputesProactiveReportLocks1764230400000,
  IdempotencyKeys1764316800000,
  PersonalDataEncryption1764403200000,
  EncryptPersonalData1764403200001,
  DropClearPersonalData1764403200002,
  PurgeDroppedPersonalData1764403200003,
  FirstConclusion1764489600000,
  QueueIndexes1764576000000,
  LetterReviewRisks1764662400140,
  IdempotencyExpiryLettersNoTruncate1764748800000,
  PlatformIntegration1796649108906,
  ApplicantOnline1796649317471,
  NotificationsSmsIndex1796649317472,
  DocumentsVerificationRedaction1796649464215,
  LettersVerificationCodeIndex1796649464216,
  AgencySettingsChanges1796650232039,
  StaffSingleSignOn1796655846698,
  LetterNumbersPerAgency1796700000000,
  ProactiveIndexNumbersPerAgency1796700000001,
  QueueCountIndexes1796700000002,
  ReportIndexesPerAgency1796800000010,
  QueueKeysetIndexes1796800000020,
  QueueSearchTrigrams1796800000021,
  ConclusionCounts1796800000030,
  ConsoleCountIndexes1796800000031,
  HomeCountIndexes1796800000032,
  QueueTextMatches1796800000040,
];
