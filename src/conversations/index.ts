export type { SavedConversationReference } from './conversation-reference.types';
export { ConversationReferenceRepository } from './conversation-reference.repository';
export { createConversationsModule } from './conversations.module';
