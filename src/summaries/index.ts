export { createSummariesModule } from './summaries.module';
export type { SummarisedConcern } from './report-months';
export type { OpenCase } from './open-cases';
