export { createSarModule } from './sar.module';
export { SarRepository } from './sar.repository';
export type { SarService } from './sar.service';
export type { SarBundleService } from './sar-bundle.service';
