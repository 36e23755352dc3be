import { MessageFactory, CardFactory, type Attachment, type TurnContext } from 'botbuilder';
import { z } from 'zod';
import {
  allowedTypeForName,
  describeAllowedTypes,
  MAX_FILE_BYTES,
  MAX_FILES_PER_MESSAGE,
  RECENT_RECORD_DAYS,
  sanitiseFileName,
  type RecordFileService,
  type RecordSummary,
} from '../../files';
import { AppError, isStoreUnavailableError, type ErrorCode } from '../../shared/errors';
import type { Logger } from '../../shared/logger';
import { SCHOOL_TIME_ZONE } from '../../shared/school-time';
import type { Actor } from '../../staff/staff.types';
import { inertText } from '../inert-text';
import { renderCard, type AdaptiveCardJson } from '../render-card';
import { downloadFile, type DownloadPolicy } from './download-file';

/** The attachment Teams sends when a user attaches a file in a 1:1 chat with a bot. */
const TEAMS_FILE_DOWNLOAD_INFO = 'application/vnd.microsoft.teams.file.download.info';

// Attachments are checked as unknown: the content is whatever the client put there.
const fileAttachmentSchema = z.object({
  name: z.string().min(1).max(1000),
  content: z.object({
    downloadUrl: z.string().min(1).max(8000),
    uniqueId: z.string().max(200).optional(),
    fileType: z.string().max(50).optional(),
  }),
});
// The card sends the pending file's id; the chosen record's id comes from the choice input.
const attachDataSchema = z.object({ fileId: z.uuid(), incidentId: z.uuid() });

/** What the flow needs besides the service: how to download, where to log. */
export interface FileUploadOptions {
  /** Timeout and whether local http is allowed (development only); the size cap is the limit's. */
  readonly download: Pick<DownloadPolicy, 'timeoutMs' | 'allowLocalHttp'>;
  readonly logger?: Pick<Logger, 'info' | 'warn'>;
}

/** Messages for the refusals a file card's button can meet; the bot merges them into REFUSALS. */
export const FILE_REFUSALS = {
  'FILE.INVALID_REQUEST': 'Choose one of your records in the list, then press Add to this record.',
  'FILE.NOT_FOUND': 'That file is no longer waiting to be added. Please send it to me again.',
  'FILE.RECORD_NOT_FOUND':
    'You can only add files to records you made yourself. If this file belongs on someone else’s record, give it to the DSL.',
  'FILE.ACCESS_DENIED':
    'You can only add files to records you made yourself. If this file belongs on someone else’s record, give it to the DSL.',
  'FILE.ALREADY_ATTACHED':
    'That file has already been added to a record. If it went on the wrong one, tell the DSL.',
} as const satisfies Partial<Record<ErrorCode, string>>;

const NOTHING_KEPT = 'Nothing was kept.';

/**
 * Files sent to the bot in a 1:1 chat: download each (time limit, size cap), check and store it as
 * pending, and ask which of the sender's recent records it belongs to; the card's button adds it.
 * Rules (types, sizes, who may attach) live in RecordFileService; this only talks Teams.
 */
export class FileUploadFlow {
  constructor(
    private readonly files: Pick<RecordFileService, 'recentRecords' | 'storePending' | 'attach'>,
    private readonly options: FileUploadOptions,
  ) {}

  /**
   * Handles a message carrying files and answers it; false when the message has none (the bot
   * then treats it as a command).
   */
  async handleFileMessage(context: TurnContext, actor: Actor): Promise<boolean> {
    const attachments = context.activity.attachments ?? [];
    const offered = attachments.filter((a) => a.contentType === TEAMS_FILE_DOWNLOAD_INFO);
    if (offered.length === 0) {
      // A pasted picture arrives inline, fetchable only with the bot's own token: ask for a file.
      if (!attachments.some((a) => a.contentType?.startsWith('image/'))) return false;
      await context.sendActivity(
        'To add a photo or scan to a record, attach it as a file (the paperclip), rather than pasting it into the message.',
      );
      return true;
    }
    if (context.activity.conversation?.conversationType !== 'personal') {
      await context.sendActivity('Please send files to me in our 1:1 chat.');
      return true;
    }

    const records = await this.guardStore(context, () => this.files.recentRecords(actor));
    if (!records) return true;
    if (records.length === 0) {
      await context.sendActivity(
        `You haven’t recorded any concerns in the last ${RECENT_RECORD_DAYS} days, so there is no record of yours to add this to. Record the concern first (type report), then send the file again. ${NOTHING_KEPT}`,
      );
      return true;
    }
    if (offered.length > MAX_FILES_PER_MESSAGE) {
      await context.sendActivity(
        `I can take ${MAX_FILES_PER_MESSAGE} files at a time, so I’ve looked at the first ${MAX_FILES_PER_MESSAGE}. Please send the rest in another message.`,
      );
    }
    for (const attachment of offered.slice(0, MAX_FILES_PER_MESSAGE)) {
      await this.receive(context, actor, attachment, records);
    }
    return true;
  }

  /** The `file.attach` button: adds the pending file to the chosen record. */
  async attachFile(actor: Actor, data: Record<string, unknown>): Promise<AdaptiveCardJson> {
    const parsed = attachDataSchema.safeParse(data);
    if (!parsed.success) throw new AppError('FILE.INVALID_REQUEST', 'file.attach data invalid');
    const { entry, reference, created } = await this.files.attach(
      actor,
      parsed.data.fileId,
      parsed.data.incidentId,
    );
    this.options.logger?.info(
      { event: 'file.attached', fileId: entry.fileId, incidentId: entry.incidentId, created },
      'file added to record',
    );
    return renderCard('files/file-added', {
      fileName: inertText(entry.name),
      reference,
      uploadedBy: inertText(entry.uploadedBy.displayName),
      addedAt: formatSchoolTime(entry.attachedAt),
    });
  }

  private async receive(
    context: TurnContext,
    actor: Actor,
    attachment: Attachment,
    records: readonly RecordSummary[],
  ): Promise<void> {
    const parsed = fileAttachmentSchema.safeParse(attachment);
    if (!parsed.success) {
      await context.sendActivity(`I couldn’t read the details of that file. ${NOTHING_KEPT}`);
      return;
    }
    const name = sanitiseFileName(parsed.data.name);
    try {
      // The extension is checked first so a forbidden file is never even downloaded.
      allowedTypeForName(name);
      const bytes = await downloadFile(parsed.data.content.downloadUrl, {
        ...this.options.download,
        maxBytes: MAX_FILE_BYTES,
      });
      const stored = await this.files.storePending(actor, { name, bytes });
      this.options.logger?.info(
        {
          event: 'file.received',
          fileId: stored.fileId,
          size: stored.size,
          contentType: stored.contentType,
        },
        'file stored, awaiting a record',
      );
      await context.sendActivity(
        MessageFactory.attachment(
          CardFactory.adaptiveCard(
            renderCard('files/which-record', {
              fileId: stored.fileId,
              fileName: inertText(stored.name),
              fileSize: formatSize(stored.size),
              records: records.map((r) => ({
                title: `${r.reference} · recorded ${formatSchoolTime(r.recordedAt)}`,
                value: r.incidentId,
              })),
            }),
          ),
        ),
      );
    } catch (error) {
      // Chat messages render markdown too: the name shows as typed.
      const message = refusalFor(error, inertText(name));
      if (!message) throw error;
      this.options.logger?.warn(
        { event: 'file.refused', code: (error as { code?: unknown }).code },
        'file not kept',
      );
      await context.sendActivity(message);
    }
  }

  /** Runs a store read; if the store is away, says so and returns undefined. */
  private async guardStore<T>(
    context: TurnContext,
    work: () => Promise<T>,
  ): Promise<T | undefined> {
    try {
      return await work();
    } catch (error) {
      if (!isStoreUnavailableError(error)) throw error;
      this.options.logger?.warn({ event: 'file.store_unavailable' }, 'store unavailable');
      await context.sendActivity(
        `I couldn’t reach the records store just now. ${NOTHING_KEPT} Please send the file again in a minute.`,
      );
      return undefined;
    }
  }
}

/** What to tell the sender when a file is not kept; undefined for a real error. */
function refusalFor(error: unknown, name: string): string | undefined {
  if (isStoreUnavailableError(error)) {
    return `I couldn’t reach the records store just now, so “${name}” was not kept. Please send it again in a minute.`;
  }
  if (!(error instanceof AppError)) return undefined;
  const allowed = `I can keep ${describeAllowedTypes()}.`;
  switch (error.code) {
    case 'FILE.TYPE_NOT_ALLOWED':
      return `I can’t keep “${name}”: that type of file is not allowed on a record. ${allowed} ${NOTHING_KEPT}`;
    case 'FILE.TYPE_MISMATCH':
      return `I can’t keep “${name}”: its contents are not what its name says. ${allowed} ${NOTHING_KEPT}`;
    case 'FILE.ACTIVE_CONTENT':
      return `I can’t keep “${name}”: it contains macros or embedded programs. Save it as a PDF and send that instead. ${NOTHING_KEPT}`;
    case 'FILE.TOO_LARGE':
      return `“${name}” is larger than ${MAX_FILE_BYTES / (1024 * 1024)} MB, the most I can keep. Scan it at a lower resolution, or split it into parts. ${NOTHING_KEPT}`;
    case 'FILE.EMPTY':
      return `“${name}” is empty. ${NOTHING_KEPT}`;
    case 'FILE.URL_NOT_ALLOWED':
    case 'FILE.DOWNLOAD_FAILED':
      return `I couldn’t fetch “${name}” from Teams. Please send it again. ${NOTHING_KEPT}`;
    default:
      return undefined;
  }
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

function formatSchoolTime(instant: Date): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: SCHOOL_TIME_ZONE,
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  }).format(instant);
}
