export { StepUpRepository } from './step-up.repository';
export { StepUpService } from './step-up.service';
