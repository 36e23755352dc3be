export { createSarModule } from './sar.module';
export type { SarService, SarDeskLine } from './sar.service';
export type { SarBundleService, SarReview } from './sar-bundle.service';
export type { SubjectAccessRequest } from './sar.types';
export { EXEMPTIONS, EXEMPTION_LABELS, PROPOSAL_KINDS } from './redaction.types';
export { SAR_RELATIONSHIPS, CHILD_COMPETENCE, PARENTAL_RESPONSIBILITY } from './sar.types';
