export { createBbbClient } from './client.js';
export { normaliseBaseUrl, type BbbEndpoint } from './base-url.js';
export { checksum, encodeQuery, signQuery, type QueryParams } from './signing.js';
export {
  BbbError,
  BbbFailedError,
  BbbMisconfiguredError,
  BbbNotFoundError,
  BbbProtocolError,
  BbbUnavailableError,
  type BbbErrorCode,
} from './errors.js';
export * from './types.js';
