import type { Connection } from 'mongoose';
import { ReportTargetsRepository } from './report-targets.repository';
import { ReportsService, type ReportSources } from './reports.service';

/** Reports read other features' queries; they store only each school's timeliness targets. */
export function createReportsModule(
  connection: Connection,
  sources: Omit<ReportSources, 'targets'>,
) {
  const targets = new ReportTargetsRepository(connection);
  return { reports: new ReportsService({ ...sources, targets }) };
}
