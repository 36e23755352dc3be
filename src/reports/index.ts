export { createReportsModule } from './reports.module';
export type { ReportsService } from './reports.service';
