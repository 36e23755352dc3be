import type { Request, Response } from 'restify';
import type { z } from 'zod';
import type { AccessActor } from '../access';
import type { AuditTrail } from '../audit';
import type { ChronologyService, RecordViewService } from '../chronology';
import type { Pupil } from '../pupils';
import type { PupilStatusService } from '../pupil-status';
import type { ReviewService } from '../reviews';
import type { School } from '../schools';
import type { SchoolScope } from '../shared/school-scope';
import type { Actor, StaffMember } from '../staff';
import type { StepUpService } from '../step-up';
import type { DeskService } from '../desk';
import type { ReportsService } from '../reports';
import type {
  TransferDeliveryService,
  TransferImportService,
  TransferredInViewService,
  TransferService,
} from '../transfers';
import type { PatternService } from '../patterns';
import type { DevTokenIssuer } from './dev-sign-in';
import type { TokenVerifier, VerifiedIdentity } from './entra-token-verifier';
import type { WindowRateLimiter } from './rate-limit';
import type { recordAuditAnswer } from './tab-responses';
import type { Logger } from '../shared/logger';
import type { AdultConcernTabServices } from './adult-concerns/adult-concern-tab.types';
import type { SarTabDependencies } from './sar-tab.types';
import type { RetentionTabDependencies } from './retention-tab.types';

/** What the tab API needs; built by the app, small fakes of our own interfaces in unit tests. */
export interface TabApiDependencies extends SarTabDependencies, RetentionTabDependencies {
  verifier: TokenVerifier;
  staff: {
    resolveActor(tenantId: string, aadObjectId: string): Promise<Actor>;
    listActiveStaff(scope: SchoolScope, limit?: number): Promise<StaffMember[]>;
  };
  schools: {
    get(tenantId: string, schoolId: string): Promise<School | undefined>;
    listForTenant(tenantId: string): Promise<School[]>;
  };
  pupils: { searchPupils(scope: SchoolScope, query: string, limit?: number): Promise<Pupil[]> };
  chronology: Pick<ChronologyService, 'page' | 'chart' | 'entriesForExport'>;
  records: Pick<RecordViewService, 'viewRecord' | 'recordsForExport'>;
  /** The team corrects a record (a new version with a reason) and reads who did what to it. */
  amendments: {
    amend(
      actor: AccessActor,
      incidentId: string,
      raw: unknown,
      requestId?: string,
    ): Promise<{ version: number }>;
  };
  cases: {
    close(
      actor: AccessActor,
      incidentId: string,
      outcomeActionId?: string,
      requestId?: string,
    ): Promise<unknown>;
    reopen(
      actor: AccessActor,
      incidentId: string,
      reason: string,
      requestId?: string,
    ): Promise<unknown>;
  };
  recordAudit: {
    forRecord(
      actor: AccessActor,
      incidentId: string,
      requestId?: string,
    ): Promise<z.input<typeof recordAuditAnswer>['events']>;
  };
  /** Child protection plan, looked after…: the team reads and changes it after step-up. */
  pupilStatus: Pick<PupilStatusService, 'view' | 'change'>;
  /** The team marks a new concern reviewed; anyone who may read a record sees who did. */
  reviews: Pick<ReviewService, 'markReviewed' | 'reviewsOf'>;
  /** What needs attention now (the team), or one's own records and tasks (everyone else). */
  desk: Pick<DeskService, 'deskFor'>;
  /** Concerns about adults, for their case managers (absent: the routes are not registered). */
  adultConcerns?: AdultConcernTabServices;
  /** Counts for a period (full, or suppressed for governors), their exports and targets. */
  reports: Pick<ReportsService, 'report' | 'export' | 'targets' | 'setTargets'>;
  /** Child protection file transfers (the team, after step-up); absent in older test setups. */
  transfers?: Pick<TransferService, 'list' | 'open' | 'view' | 'recordNotice'>;
  /** The package, its link and code (the team), and the receiving school's pages (no login). */
  transferDelivery?: Pick<TransferDeliveryService, 'send' | 'linkFacts' | 'confirm' | 'download'>;
  /** The receiving side: the team imports a package another school sent. */
  transferImport?: Pick<TransferImportService, 'importPackage' | 'checkPackage'>;
  /** Records other schools sent with a child, read-only (the team, after step-up). */
  transferredInView?: Pick<TransferredInViewService, 'viewRecord' | 'file'>;
  /** Where the app is reached from outside: the receiving school's link starts with it. */
  publicBaseUrl?: string;
  /** The team marks a pattern flag reviewed (it leaves the desk). */
  patterns: Pick<PatternService, 'markReviewed' | 'readRules' | 'setRules'>;
  stepUp: Pick<StepUpService, 'noteStepUp'>;
  audit: AuditTrail;
  limits: { perUser: WindowRateLimiter; perAddress: WindowRateLimiter };
  /** The Conditional Access authentication context that counts as step-up, e.g. "c1". */
  stepUpContext: string;
  inactivityMinutes: number;
  development: boolean;
  /** Present only in development with DEV_SIGN_IN on: the routes do not exist otherwise. */
  devSignIn?: { issuer: DevTokenIssuer; demoTenantId: string };
  clock: { now(): Date };
  logger: Logger;
}

/** One authenticated request as handlers see it. */
interface TabRequest {
  readonly req: Request;
  readonly actor: AccessActor;
  readonly identity: VerifiedIdentity;
  readonly context: { requestId: string };
}

/**
 * Wraps a handler as a route: rate limits, token, actor, then the handler's answer through its
 * schema (tab-responses.ts), or the refusal as `{ code, message }`.
 */
export type TabRoute = <S extends z.ZodType>(
  answer: S,
  handler: (r: TabRequest) => Promise<z.input<S>>,
) => (req: Request, res: Response) => Promise<void>;

/** Answers an error with its status and safe message (and Retry-After when given). */
export type TabFail = (res: Response, error: unknown, retryAfterSeconds?: number) => void;
