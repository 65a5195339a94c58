import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { buildGatewaySchema, printGatewaySchema } from '../../src/graphql/schema.js';
import type { MeetingService } from '../../src/meetings/meeting-service.js';

describe('schema/schema.graphql', () => {
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
      if (!type.description && !['Query', 'Mutation'].includes(type.name)) missing.push(type.name);
      if ('getFields' in type) {
        for (const field of Object.values(type.getFields())) if (!field.description) missing.push(`${type.name}.${field.name}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
