import { describe, expect, it } from '@jest/globals';
import { AccessTokens } from '../../src/auth/access-tokens.js';
import { scrubbingLogStream } from '../../src/observability/log-stream.js';

describe('access tokens in log lines', () => {
  it('are scrubbed wherever they appear, even where no redaction path names them', async () => {
    const tokens = new AccessTokens({
      signingKeys: ['log-test-signing-key-0123456789abcdef'],
      audience: 'bbb-interface',
    });
    const { token } = await tokens.issue(
      {
        app: 'lms',
        meetingId: 'm-1',
        createTime: '1',
        scopes: ['JOIN'],
        role: 'VIEWER',
        name: 'Ada',
        userId: undefined,
        avatar: undefined,
        isGuest: false,
      },
      60,
    );
    const written: string[] = [];
    const stream = scrubbingLogStream([], { write: (line: string) => void written.push(line) });
    stream.write(
      `${JSON.stringify({ msg: `odd header value ${token}`, err: { message: `Bearer ${token} refused` } })}\n`,
    );
    expect(written).toHaveLength(1);
    expect(written[0]).not.toContain(token);
    expect(written[0]).not.toContain(token.split('.')[2]);
    expect(JSON.parse(written[0]!)).toEqual({
      msg: 'odd header value [redacted]',
      err: { message: 'Bearer [redacted] refused' },
    });
  });
});
