export { StepUpRepository } from './step-up.repository';
export { StepUpService, type StepUpStore } from './step-up.service';
