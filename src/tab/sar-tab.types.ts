import type { SarBundleService, SarService } from '../sar';
import type { SharingService } from '../sharing';

/** What the subject access and sharing routes call. */
export interface SarTabDependencies {
  sars: Pick<SarService, 'list' | 'get' | 'register' | 'extend' | 'decide' | 'close'>;
  sarBundles: Pick<SarBundleService, 'review' | 'saveDecisions' | 'finalPdf'>;
  sharing: Pick<SharingService, 'record' | 'listForPupil'>;
  clock: { now(): Date };
}
