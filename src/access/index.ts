export {
  decideRecordAccess,
  isInListingScope,
  listingScopeFor,
  mayAccessRecord,
  mayRunReports,
} from './access-policy';
export {
  RECORD_OPERATIONS,
  type AccessActor,
  type AccessDecision,
  type DenyReason,
  type ListingScope,
  type RecordAccessFacts,
  type RecordOperation,
} from './access.types';
export { recordAccessFacts } from './record-facts';
export {
  RecordAccess,
  type AccessibleRecord,
  type RecordAudienceSource,
} from './record-access.service';
