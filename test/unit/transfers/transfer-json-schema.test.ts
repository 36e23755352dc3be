import fs from 'node:fs';
import path from 'node:path';
import { transferJsonSchema } from '../../../src/transfers/transfer-json-schema';

const FILE = path.join(
  __dirname,
  '..',
  '..',
  '..',
  'docs',
  'transfer-format',
  'transfer-package.v1.schema.json',
);

describe('the committed JSON Schema of the transfer package', () => {
  it('when the zod schema the app checks with is converted, then it equals the committed file', () => {
    // UPDATE_TRANSFER_SCHEMA=1 rewrites the file (then `npx prettier --write` it).
    if (process.env.UPDATE_TRANSFER_SCHEMA === '1') {
      fs.writeFileSync(FILE, JSON.stringify(transferJsonSchema(), null, 2));
    }
    expect(JSON.parse(fs.readFileSync(FILE, 'utf8'))).toEqual(transferJsonSchema());
  });
});
