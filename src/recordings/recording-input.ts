import { z } from 'zod';
import { RECORDING_STATES } from '../bbb/rules.js';
import { maxUnits, meetingIdSchema, metadataListSchema, minUnits, noControl } from '../validation.js';

/** Validation of the recording operations; messages follow validation.ts (`<field> <sentence>.`). */

/** Page size bounds: BBB clamps `limit` to 1..100, so a page never needs more than two calls to fill. */
export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;
/** Most recordIds one mutation may name: every ID travels in one signed GET URL to BBB. */
const MAX_RECORD_IDS = 100;
/** Most metadata entries, and their encoded size, one updateRecordingMetadata may send: they travel in the same URL. */
const MAX_METADATA_ENTRIES = 20;
const MAX_METADATA_ENCODED_BYTES = 4096;

const recordId = z
  .string()
  .check(minUnits(1, 'must not be empty'))
  .check(maxUnits(256, 'must be at most 256 characters'))
  .refine((s) => !s.includes(','), 'must not contain a comma')
  .refine(noControl, 'must not contain control characters');

const recordIdsSchema = z
  .array(recordId)
  .min(1, `must name 1 to ${MAX_RECORD_IDS} recordings`)
  .max(MAX_RECORD_IDS, `must name 1 to ${MAX_RECORD_IDS} recordings`)
  // A repeated ID is the same recording; BBB would be sent it once.
  .transform((ids) => [...new Set(ids)]);

/** The `recordIds` argument alone, as an object so that a refusal names it: `recordIds.2 must not contain a comma.` */
export const recordIdsArgSchema = z.object({ recordIds: recordIdsSchema });

export const listRecordingsSchema = z.object({
  meetingId: meetingIdSchema.nullish(),
  states: z.array(z.enum(RECORDING_STATES)).nullish(),
  first: z
    .number()
    .int('must be a whole number')
    .min(1, `must be 1 to ${MAX_PAGE_SIZE}`)
    .max(MAX_PAGE_SIZE, `must be 1 to ${MAX_PAGE_SIZE}`)
    .nullish()
    .transform((n) => n ?? DEFAULT_PAGE_SIZE),
  after: z.string().check(maxUnits(1024, 'is not a cursor this API returned')).nullish(),
});

export type ListRecordingsInput = z.input<typeof listRecordingsSchema>;

export const updateMetadataSchema = z.object({
  recordIds: recordIdsSchema,
  metadata: metadataListSchema(1, MAX_METADATA_ENTRIES).refine(
    (entries) =>
      entries.reduce((sum, e) => sum + encodedLength(e.key) + encodedLength(e.value) + 7, 0) <=
      MAX_METADATA_ENCODED_BYTES,
    {
      message: `must stay under ${MAX_METADATA_ENCODED_BYTES} bytes once URL-encoded, so the signed request to BigBlueButton fits in a URL`,
    },
  ),
});

export type UpdateMetadataInput = z.input<typeof updateMetadataSchema>;

/** Length once URL-encoded; a lone surrogate (which encodeURIComponent throws on) is refused by the entry's own rule. */
function encodedLength(text: string): number {
  try {
    return encodeURIComponent(text).length;
  } catch {
    return 0;
  }
}
