import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyBaseLogger } from 'fastify';

/**
 * Node's own refusals of requests it cannot parse (bad Content-Length, headers over 16 KB, a request that took longer than
 * REQUEST_TIMEOUT_MS), answered like every other error: JSON `{"message"}` with an `x-request-id`, and the connection
 * closed. Fastify's default handler logs the error object, whose `rawPacket` holds the raw request bytes (the token and
 * any password in the query string); only the error's code is logged here. Fastify calls it with `this` the instance.
 */
export function clientErrorHandler(this: { log: FastifyBaseLogger }, err: NodeJS.ErrnoException, socket: Socket): void {
  // A reset connection is gone; there is no one to answer.
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const { status, message } = refusal(err.code);
  const requestId = randomUUID();
  this.log.debug({ reqId: requestId, code: err.code, status }, 'request refused before parsing');
  // As Node's own handler does: when an answer to an earlier (pipelined) request is already being written on this socket,
  // writing ours would corrupt it, so the connection is only closed.
  const inProgress = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (socket.writable && !inProgress?.headersSent) {
    const body = JSON.stringify({ message });
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
        'content-type: application/json; charset=utf-8\r\n' +
        `content-length: ${Buffer.byteLength(body)}\r\n` +
        `x-request-id: ${requestId}\r\n` +
        'cache-control: no-store\r\n' +
        'connection: close\r\n\r\n' +
        body,
    );
  }
  socket.destroy();
}

function refusal(code: string | undefined): { status: number; message: string } {
  switch (code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return {
        status: 408,
        message: 'The request was not received completely within the time limit (REQUEST_TIMEOUT_MS).',
      };
    case 'HPE_HEADER_OVERFLOW':
      return { status: 431, message: 'The request headers are larger than the limit of 16 KB.' };
    default:
      return {
        status: 400,
        message: 'The request is not valid HTTP (for example a malformed Content-Length or header line).',
      };
  }
}
