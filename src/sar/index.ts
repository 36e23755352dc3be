export { createSarModule } from './sar.module';
export type { SarService } from './sar.service';
export type { SarBundleService } from './sar-bundle.service';
