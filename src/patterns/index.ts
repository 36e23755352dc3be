export { createPatternsModule } from './patterns.module';
export type { PatternService } from './pattern.service';
export type { PatternFlag, PatternRule } from './pattern.types';
export { DEFAULT_PATTERN_RULES, describeRule } from './pattern-rules';
export { startPatternCatchUp } from './pattern-catch-up';
