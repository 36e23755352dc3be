export { NarrativeCipher } from './narrative-cipher';
export {
  SEALED_FORMAT_VERSION,
  type KeyEnvelope,
  type KeyWrapper,
  type SealedNarrative,
  type WrappedKey,
} from './sealed.types';
export { LocalKeyRing } from './local-key-ring';
export { KeyVaultKeyWrapper } from './key-vault-key-wrapper';
export { createNarrativeCipher, throwawayCipher, type KeySourceConfig } from './create-cipher';
export {
  rewrapAll,
  type RewrapCounts,
  type WrappedKeyHolder,
  type WrappedKeyRef,
} from './rewrap-all';
export {
  keyEnvelopeSchema,
  MongoWrappedKeyHolder,
  sealedNarrativeSchema,
} from './sealed-field.repository';
export { asBuffer } from './binary';
