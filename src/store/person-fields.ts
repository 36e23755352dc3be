/** A person as documents name them (who recorded, decided, placed, lifted...): required both. */
export const personSchemaFields = {
  aadObjectId: { type: String, required: true },
  displayName: { type: String, required: true },
};
