import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CONFIG_VARIABLES } from '../../src/config.js';
import { createMetrics, METRIC_PREFIX } from '../../src/observability/metrics.js';
import { post, startStack, TOKENS, type Stack } from '../helpers/stack.js';
import { parseLogs, waitFor } from './support/ops-helpers.js';

/** Operations: the metrics table and the sample log line. */
const DOC = readFileSync('docs/operations.md', 'utf8');
/** The configuration table: docs/configuration.md holds it and no other table with variables in the first column. */
const CONFIG_SECTION = readFileSync('docs/configuration.md', 'utf8');

describe('docs/configuration.md and docs/operations.md', () => {
  it.each(CONFIG_VARIABLES.map((name) => [name]))('has a configuration table row for %s', (name) => {
    expect(CONFIG_SECTION).toContain(`| \`${name}\` |`);
  });

  it('names no variable the gateway does not read', () => {
    const documented = [...CONFIG_SECTION.matchAll(/^\| `([A-Z][A-Z0-9_]+)` \|/gm)].map((m) => m[1]);
    expect(documented.filter((name) => !CONFIG_VARIABLES.includes(name!))).toEqual([]);
  });

  it('lists every metric the gateway exports, and no other', async () => {
    const metrics = createMetrics();
    metrics.registry.registerMetric(metrics.redisUp);
    metrics.watchWebhookQueueDepth(async () => 0);
    const exported = (await metrics.registry.getMetricsAsJSON())
      .map((m) => m.name)
      .filter((n) => n.startsWith(METRIC_PREFIX));
    const documented = [...DOC.matchAll(/^\| `(bbb_interface_\w+)` \|/gm)].map((m) => m[1]);
    expect([...documented].sort()).toEqual([...exported].sort());
  });

  describe('sample log line', () => {
    let stack: Stack;
    beforeAll(async () => {
      stack = await startStack();
    });
    afterAll(async () => {
      await stack.close();
    });

    it('has the fields a real "request completed" line has', async () => {
      const sample = JSON.parse(/```json\n(\{.*"msg":"request completed"\})\n```/.exec(DOC)![1]!) as Record<
        string,
        unknown
      >;
      const res = await post(
        `${stack.url}/graphql`,
        {
          query: 'mutation CreateLecture { createMeeting(input: { name: "Lecture 1" }) { meetingId } }',
          operationName: 'CreateLecture',
        },
        { authorization: TOKENS.lms, 'x-request-id': 'docs-sample' },
      );
      expect(res.status).toBe(200);
      await waitFor(
        () => parseLogs(stack.logs).some((l) => l.reqId === 'docs-sample' && l.msg === 'request completed'),
        'the log line',
      );
      const real = parseLogs(stack.logs).find((l) => l.reqId === 'docs-sample' && l.msg === 'request completed')!;
      expect(Object.keys(sample).sort()).toEqual(Object.keys(real).sort());
      expect(sample).toMatchObject({
        app: real.app,
        operation: real.operation,
        operationName: real.operationName,
        status: real.status,
        bbbCalls: real.bbbCalls,
      });
    });
  });
});
