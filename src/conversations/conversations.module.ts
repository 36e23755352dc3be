import type { Connection } from 'mongoose';
import { ConversationReferenceRepository } from './conversation-reference.repository';

/** Where the bot can reach people later (proactive alerts): one reference per person. */
export function createConversationsModule(connection: Connection) {
  return { references: new ConversationReferenceRepository(connection) };
}
