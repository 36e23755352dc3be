export { createSummariesModule } from './summaries.module';
