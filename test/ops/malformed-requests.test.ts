import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { assertNoSecretsIn, startStack, TOKENS, type Stack } from '../helpers/stack.js';
import { parseLogs, waitFor } from './support/ops-helpers.js';

const PASSWORD = 'query-password-4799-rawtest';

/** Sends raw bytes and resolves with everything the gateway wrote back before closing the connection. */
async function raw(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    // The gateway may close while we are still writing a huge header block; what it answered is all that counts.
    socket.on('error', (err: NodeJS.ErrnoException) =>
      err.code === 'ECONNRESET' || err.code === 'EPIPE' ? undefined : reject(err),
    );
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.write(request);
  });
}

function parseAnswer(text: string): { status: number; headers: Record<string, string>; body: unknown } {
  const [head, body = ''] = text.split('\r\n\r\n');
  const [statusLine, ...lines] = head!.split('\r\n');
  const headers: Record<string, string> = {};
  for (const l of lines) {
    const i = l.indexOf(':');
    headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
  }
  return { status: Number(statusLine!.split(' ')[1]), headers, body: JSON.parse(body) };
}

describe('requests Node refuses before parsing', () => {
  let stack: Stack;
  let port: number;
  beforeAll(async () => {
    // trace: every line the gateway or fastify can write is in the capture.
    stack = await startStack({ env: { LOG_LEVEL: 'trace' } });
    port = Number(new URL(stack.url).port);
  });
  afterAll(async () => {
    await stack.close();
  });

  const target = `/graphql?query=%7Bmeetings%7BmeetingId%7D%7D&password=${PASSWORD}`;
  it.each([
    [
      'a malformed Content-Length',
      `POST ${target} HTTP/1.1\r\nHost: x\r\nAuthorization: ${TOKENS.lms}\r\nContent-Length: 12abc\r\n\r\n{}`,
      400,
    ],
    [
      'two different Content-Lengths',
      `POST ${target} HTTP/1.1\r\nHost: x\r\nAuthorization: ${TOKENS.lms}\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}`,
      400,
    ],
    [
      'headers over 16 KB',
      `GET ${target} HTTP/1.1\r\nHost: x\r\nAuthorization: ${TOKENS.lms}\r\nX-Filler: ${'a'.repeat(20 * 1024)}\r\n\r\n`,
      431,
    ],
  ])(
    'answers %s in the {"message"} shape with an x-request-id, and logs neither its bytes nor its secrets',
    async (_label, request, status) => {
      const before = stack.logs.length;
      const answer = parseAnswer(await raw(port, request));
      expect(answer.status).toBe(status);
      expect(answer.headers['content-type']).toMatch(/^application\/json/);
      expect(answer.headers['x-request-id']).toMatch(/^[\w.:-]{1,128}$/);
      expect(answer.headers.connection).toBe('close');
      expect(answer.body).toEqual({ message: expect.any(String) });

      // The refusal is logged (so the sweep below is not vacuous), under the id the client got, with no raw packet.
      await waitFor(() => stack.logs.length > before, 'the refusal log line');
      const lines = stack.logs.slice(before);
      expect(parseLogs(lines).some((l) => l.reqId === answer.headers['x-request-id'] && l.status === status)).toBe(
        true,
      );
      expect(lines.join('\n')).not.toMatch(/rawPacket|"type":"Buffer"/);
      assertNoSecretsIn(lines, [...Object.values(TOKENS), PASSWORD]);
    },
  );
});
