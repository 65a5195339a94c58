import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import type { MeetingService } from '../meetings/meeting-service.js';
import { buildGatewaySchema, printGatewaySchema } from './schema.js';

/** Writes schema/schema.graphql from the classes (`npm run schema`). Resolvers are not called, so no services are needed. */
const schema = await buildGatewaySchema({ meetings: {} as MeetingService });
const target = new URL('../../../schema/schema.graphql', import.meta.url);
writeFileSync(target, printGatewaySchema(schema));
process.stdout.write(`wrote ${target.pathname}\n`);
