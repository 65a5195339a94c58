import { z } from 'zod';
import { badInput } from '../errors.js';

/**
 * Where a page ended: the position of a recording in the server's answer and its recordId. The position lets BBB
 * paginate (`offset`); the recordId lets the gateway find the spot again where the server ignored `offset` (Scalelite)
 * and check that the position still holds the same recording.
 */
export interface CursorPosition {
  /** 0-based position in the server's list. */
  position: number;
  recordId: string;
  /**
   * True once the server has answered a page with more recordings than asked for: it ignores `offset`/`limit` and
   * always sends its whole list. Later pages then read every answer as the whole list, even one short enough to be
   * mistaken for a page.
   */
  wholeList: boolean;
}

const VERSION = 1;

const cursorSchema = z.object({
  v: z.literal(VERSION),
  p: z.number().int().min(0).max(10_000_000),
  id: z.string().min(1).max(256),
  w: z.literal(1).optional(),
});

/** Opaque to callers: base64url of a small JSON object, so it survives URLs and query strings unchanged. */
export function encodeCursor(at: CursorPosition): string {
  return Buffer.from(
    JSON.stringify({ v: VERSION, p: at.position, id: at.recordId, ...(at.wholeList ? { w: 1 } : {}) }),
    'utf8',
  ).toString('base64url');
}

/** The position a cursor names; BAD_USER_INPUT for anything this API did not hand out. */
export function decodeCursor(cursor: string): CursorPosition {
  const invalid = () =>
    badInput(
      'after is not a cursor this API returned; pass a cursor or endCursor from an earlier recordings page, or leave it out to start at the beginning.',
    );
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const result = cursorSchema.safeParse(parsed);
  if (!result.success) throw invalid();
  return { position: result.data.p, recordId: result.data.id, wholeList: result.data.w === 1 };
}
