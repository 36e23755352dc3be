import { z } from 'zod';
import { TRANSFER_FORMAT_VERSION, transferPackageSchema } from './transfer-package.schema';

/**
 * The JSON Schema (draft-07) of the transfer package, generated from the zod schema the app
 * checks with; committed as docs/transfer-format/transfer-package.v1.schema.json, and a test
 * fails when the two differ (UPDATE_TRANSFER_SCHEMA=1 rewrites the file).
 */
export function transferJsonSchema(): Record<string, unknown> {
  return {
    $id: 'https://github.com/safeguarding-records/transfer-format/transfer-package.v1.schema.json',
    title: `Child protection file transfer package ${TRANSFER_FORMAT_VERSION}`,
    description:
      'Everything a school holds on one child: records as submitted and as amended, actions, ' +
      'decisions with reasons, case status, files, status flags and the chronology.',
    ...z.toJSONSchema(transferPackageSchema, { target: 'draft-7' }),
  };
}
