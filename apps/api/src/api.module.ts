import { ConsoleAssetsController } from './console/assets.controller';
import { CasePageController } from './console/case-page.controller';
import { CasePages } from './console/case-page.service';
import { RedactionPagesController } from './console/redaction-pages.controller';
import { RedactionPages } from './console/redaction-pages.service';
import { ConsoleErrorFilter } from './console/console-error.filter';
import { ConsoleFrames } from './console/console-frame.service';
import { ConsoleViews } from './console/console-views';
import { EventForms } from './console/event-forms.service';
import { HomeController } from './console/home.controller';
import { IntakeController } from './console/intake.controller';
import { LetterReviewController } from './console/letter-review.controller';
import { HomePages } from './console/home-page.service';
import { QueueController } from './console/queue.controller';
import { QueuePages } from './console/queue-page.service';
import { SignInController } from './console/sign-in.controller';
import { AdminPagesController } from './console/admin-pages.controller';
import { AdminPages } from './console/admin-pages.service';
import { DisputesPagesController } from './console/disputes-pages.controller';
import { DisputesPages } from './console/disputes-pages.service';
import { ConsoleNotFoundController, HelpController } from './console/help.controller';
import { ReportsPagesController } from './console/reports-pages.controller';
import { ReportsPages } from './console/reports-pages.service';
import { SettingsPagesController } from './console/settings-pages.controller';
import { SettingsPages } from './console/settings-pages.service';
import { SsoPagesController } from './console/sso-pages.controller';
import { AccountPagesController } from './console/account-pages.controller';
import { ApiClientsPagesController } from './console/api-clients-pages.controller';
import { ApiClientsPages } from './console/api-clients-pages.service';
import { SsoAdminController } from './sso/sso-admin.controller';
import { SsoProviders } from './sso/sso-providers.service';
import { SsoRepository } from './sso/sso.repository';
import { SsoSettingsService } from './sso/sso-settings.service';
import { SsoSignInService } from './sso/sso-sign-in.service';
import { Module, ValidationPipe, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { AdminController } from './admin/admin.controller';
import { AdminService } from './admin/admin.service';
import { AgenciesService } from './agencies/agencies.service';
import { ApplicationsController } from './applications/applications.controller';
import { ApplicationsService } from './applications/applications.service';
import { AttachmentsController } from './attachments/attachments.controller';
import { AttachmentsService } from './attachments/attachments.service';
import { AuthController } from './auth/auth.controller';
import { AuthGuard } from './auth/auth.guard';
import { AuthService } from './auth/auth.service';
import { ApiClientCredentials } from './auth/api-client-credentials';
import { CalendarAdminService } from './calendar/calendar-admin.service';
import { CalendarController } from './calendar/calendar.controller';
import { CalendarService } from './calendar/calendar.service';
import { AssistanceController, ProactiveController } from './cases/assistance.controller';
import { CasesController } from './cases/cases.controller';
import { CaseAccess } from './cases/case-access.service';
import { CaseRepository } from './cases/case.repository';
import { CaseViewService } from './cases/case-view.service';
import { ServiceCertificateService } from './cases/service-certificate.service';
import { DirectoryRepository } from './cases/directory.repository';
import { EventEnrichers } from './cases/event-enrichers';
import { IntakeService } from './cases/intake.service';
import { RecordEventService } from './cases/record-event.service';
import { StepIntents } from './cases/step-intents.service';
import { ProactiveService } from './cases/proactive.service';
import { ClockWatchService } from './clock-watch/clock-watch.service';
import { invalid } from './common/domain-error';
import { AllExceptionsFilter } from './common/exception.filter';
import { APP_CONFIG, LOGGER } from './common/tokens';
import { flattenValidationErrors } from './common/validation';
import type { AppConfig } from './config/app-config';
import { ReadDatabase } from './database/read-database';
import { DisputesController } from './disputes/disputes.controller';
import { DisputesService } from './disputes/disputes.service';
import { EvidenceBundleService } from './disputes/evidence-bundle.service';
import { HealthController } from './health/health.controller';
import { ApiClientsController } from './integration/api-clients.controller';
import { ApiClientsService } from './integration/api-clients.service';
import { IntegrationController } from './integration/integration.controller';
import { PlatformCallbacks } from './integration/platform-callbacks.service';
import { PlatformCaseService } from './integration/platform-case.service';
import { PlatformCaseView } from './integration/platform-case-view';
import { PlatformImportService } from './integration/platform-import.service';
import { PagesService } from './pages/pages.service';
import { PortalErrorFilter } from './pages/portal-error.filter';
import { PortalPages } from './pages/portal-pages.service';
import { PortalController } from './pages/portal.controller';
import { ApplicantCaseService } from './portal/applicant-case.service';
import { ApplicantNotices } from './portal/applicant-notices.service';
import { ApplicantRepository } from './portal/applicant.repository';
import { PublicLinks } from './portal/public-links';
import { HttpSmsGateway, SMS_GATEWAY } from './notifications/sms-gateway';
import { ReportsController } from './reports/reports.controller';
import { ReportsService } from './reports/reports.service';
import { AnnualReportDocumentService } from './reports/annual-report-document.service';
import { LettersController } from './letters/letters.controller';
import { LettersService } from './letters/letters.service';
import { JobRunnerService } from './jobs/job-runner.service';
import { JobsService } from './jobs/jobs.service';
import { NotificationsController } from './notifications/notifications.controller';
import { NotificationsService } from './notifications/notifications.service';
import { PublicTrackingService } from './public/public-tracking.service';
import { LetterVerificationService } from './public/letter-verification.service';
import { LetterSigning } from './letters/letter-signing';
import { PublicController } from './public/public.controller';
import { PublicRedactedCopiesController, RedactionController } from './redaction/redaction.controller';
import { RedactionService } from './redaction/redaction.service';
import { RedactionRepository } from './redaction/redaction.repository';
import { PublicRedactedCopiesService } from './redaction/public-redacted-copies.service';
import { PersonalDataAuditController } from './personal-data/personal-data-audit.controller';
import { PersonalDataAuditService } from './personal-data/personal-data-audit.service';
import { PersonalDataCipher, personalDataCipherFrom } from './personal-data/personal-data-cipher';

export interface ApiModuleOptions {
  config: AppConfig;
  dataSource: DataSource;
  logger: Logger;
  /** Where read-only work goes (DATABASE_READ_URL's standby); the primary when absent. */
  readDatabase?: ReadDatabase;
}

/** The HTTP app. The global pipeline is registered here as providers, so e2e tests run exactly what production runs. */
@Module({})
export class ApiModule {
  static forRoot(options: ApiModuleOptions): DynamicModule {
    return {
      module: ApiModule,
      controllers: [
        AuthController,
        ApplicationsController,
        PublicController,
        CasesController,
        AssistanceController,
        ProactiveController,
        AttachmentsController,
        RedactionController,
        PublicRedactedCopiesController,
        LettersController,
        DisputesController,
        ReportsController,
        CalendarController,
        NotificationsController,
        HealthController,
        PortalController,
        AdminController,
        PersonalDataAuditController,
        // The staff console (server-rendered pages).
        ConsoleAssetsController,
        SignInController,
        HomeController,
        QueueController,
        CasePageController,
        RedactionPagesController,
        IntakeController,
        LetterReviewController,
        IntegrationController,
        ApiClientsController,
        AdminPagesController,
        SettingsPagesController,
        ReportsPagesController,
        DisputesPagesController,
        HelpController,
        // Single sign-on for staff (统一身份认证, issue 19 item 4).
        SsoAdminController,
        SsoPagesController,
        // The platforms' clients and callbacks, and one's own password, in the console.
        ApiClientsPagesController,
        AccountPagesController,
        // Last: any /staff address no controller above serves answers a console 404 page.
        ConsoleNotFoundController,
      ],
      providers: [
        { provide: APP_CONFIG, useValue: options.config },
        { provide: LOGGER, useValue: options.logger },
        { provide: PersonalDataCipher, useValue: personalDataCipherFrom(options.config) },
        { provide: DataSource, useValue: options.dataSource },
        { provide: ReadDatabase, useValue: options.readDatabase ?? new ReadDatabase(options.dataSource) },
        // The SMS adapter (notifications/sms-gateway.ts): the HTTP gateway when configured; none, and SMS notices wait.
        { provide: SMS_GATEWAY, useValue: options.config.SMS_GATEWAY_URL ? new HttpSmsGateway(options.config.SMS_GATEWAY_URL, options.config.SMS_GATEWAY_TOKEN) : null },
        {
          provide: APP_PIPE,
          useFactory: () =>
            new ValidationPipe({
              whitelist: true,
              forbidNonWhitelisted: true,
              transform: true,
              // The messages name each field by the label its DTO declares (read from the target), and a missing value
              // says 不能为空 (read from the value); neither leaves the process, only the messages do.
              validationError: { target: true, value: true },
              exceptionFactory: (errors) => {
                const details = flattenValidationErrors(errors);
                return invalid(details.join('；'), details);
              },
            }),
        },
        { provide: APP_FILTER, useFactory: (logger: Logger) => new AllExceptionsFilter(logger), inject: [LOGGER] },
        { provide: APP_GUARD, useClass: AuthGuard },
        AuthService,
        AgenciesService,
        CalendarService,
        CaseRepository,
        CaseViewService,
        ServiceCertificateService,
        DirectoryRepository,
        EventEnrichers,
        IntakeService,
        RecordEventService,
        StepIntents,
        CaseAccess,
        ApplicationsService,
        PublicTrackingService,
        LetterVerificationService,
        LetterSigning,
        CalendarAdminService,
        JobsService,
        JobRunnerService,
        NotificationsService,
        ClockWatchService,
        AttachmentsService,
        RedactionService,
        RedactionRepository,
        PublicRedactedCopiesService,
        LettersService,
        DisputesService,
        EvidenceBundleService,
        ProactiveService,
        ReportsService,
        AnnualReportDocumentService,
        PagesService,
        PortalPages,
        PortalErrorFilter,
        ApplicantCaseService,
        ApplicantNotices,
        ApplicantRepository,
        PublicLinks,
        AdminService,
        PersonalDataAuditService,
        ConsoleViews,
        ConsoleFrames,
        ConsoleErrorFilter,
        EventForms,
        CasePages,
        RedactionPages,
        QueuePages,
        HomePages,
        ApiClientCredentials,
        ApiClientsService,
        PlatformCallbacks,
        PlatformCaseService,
        PlatformCaseView,
        PlatformImportService,
        AdminPages,
        SettingsPages,
        ReportsPages,
        DisputesPages,
        SsoRepository,
        SsoProviders,
        SsoSettingsService,
        SsoSignInService,
        ApiClientsPages,
      ],
    };
  }
}
