/** Action.Execute verbs of the file cards; the cards/files templates spell the same strings. */
export const FILE_VERBS = {
  attachFile: 'file.attach',
} as const;
