import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { buildGatewaySchema, printGatewaySchema } from '../../src/graphql/schema.js';
import type { MeetingService } from '../../src/meetings/meeting-service.js';
import { BBB_CALLS_EXTENSION, type BbbCallsEstimate } from '../../src/graphql/limits.js';

describe('schema/schema.graphql', () => {
  it('declares a BBB-call estimate on every root field (each calls BBB), which the call cap and the rate limit charge', async () => {
    const schema = await buildGatewaySchema({ meetings: {} as MeetingService });
    const roots = [schema.getQueryType()!, schema.getMutationType()!].flatMap((type) =>
      Object.values(type.getFields()),
    );
    const estimate = (name: string, args: Record<string, unknown> = {}): number => {
      const declared = roots.find((f) => f.name === name)!.extensions[BBB_CALLS_EXTENSION] as BbbCallsEstimate;
      return typeof declared === 'function' ? declared(args) : declared;
    };
    expect(roots.filter((f) => f.extensions[BBB_CALLS_EXTENSION] === undefined).map((f) => f.name)).toEqual([]);
    expect([
      estimate('meetings'),
      estimate('createMeeting'),
      estimate('endMeeting'),
      estimate('publishRecordings'),
    ]).toEqual([1, 2, 2, 3]);
    // getRecordings is asked for at most 100 at a time: one more than the page, and after a cursor a window that looks back.
    expect([
      estimate('recordings', { first: 20 }),
      estimate('recordings', { first: 100 }),
      estimate('recordings', { first: 100, after: 'c' }),
    ]).toEqual([1, 2, 4]);
  });

  it('is what the classes emit (run `npm run schema` after changing a type)', async () => {
    const schema = await buildGatewaySchema({ meetings: {} as MeetingService });
    const committed = readFileSync(new URL('../../schema/schema.graphql', import.meta.url), 'utf8');
    expect(printGatewaySchema(schema)).toBe(committed);
  });

  it('describes every type and field, for the people reading it in Sandbox', async () => {
    const schema = await buildGatewaySchema({ meetings: {} as MeetingService });
    const missing: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith('__') || ['String', 'Boolean', 'Int', 'Float', 'ID'].includes(type.name)) continue;
      if (!type.description && !['Query', 'Mutation', 'Subscription'].includes(type.name)) missing.push(type.name);
      if ('getFields' in type) {
        for (const field of Object.values(type.getFields()))
          if (!field.description) missing.push(`${type.name}.${field.name}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
