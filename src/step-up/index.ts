export { StepUpService } from './step-up.service';
export { createStepUpModule } from './step-up.module';
