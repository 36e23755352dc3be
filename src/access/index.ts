export {
  decideRecordAccess,
  isInListingScope,
  listingScopeFor,
  mayRunReports,
  isGovernorOnly,
  mayChangeReportTargets,
  reportAudienceOf,
} from './access-policy';
export {
  RECORD_OPERATIONS,
  type AccessActor,
  type DenyReason,
  type RecordAccessFacts,
  type RecordOperation,
} from './access.types';
export { recordAccessFacts } from './record-facts';
export { RecordAccess } from './record-access.service';
export { createAccessModule } from './access.module';
