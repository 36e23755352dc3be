import type { BotRoute } from '../bot-routes';
import type { FileUploadFlow } from './file-upload-flow';
import { FILE_VERBS } from './file-verbs';

/** What the bot uses of the file flow. */
export type FileRoutesFlow = Pick<FileUploadFlow, 'handleFileMessage' | 'attachFile'>;

/**
 * The file cards' button. A message carrying files has no route: the bot offers every message to
 * the file flow before reading it as a command.
 */
export function fileRoutes(files: FileRoutesFlow): BotRoute[] {
  return [
    {
      kind: 'invoke',
      verb: FILE_VERBS.attachFile,
      // The flow checks the card's ids itself and refuses with a message of its own.
      handle: ({ actor, data }) => files.attachFile(actor, data),
    },
  ];
}
