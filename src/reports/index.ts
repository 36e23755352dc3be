export { createReportsModule } from './reports.module';
export type { ReportsService, ReportFile } from './reports.service';
export type { Report, ReportTable, ReportTargets } from './report.types';
export { SUPPRESSION_NOTE, type Shown } from './suppression';
