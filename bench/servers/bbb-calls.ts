import { randomBytes } from 'node:crypto';
import { createBbbClient } from '../../src/bbb/client.js';

/**
 * The gateway's BBB client alone, in a process of its own, calling the simulator at BBB_URL: `create` for fresh meetings
 * and `getMeetingInfo` (a join-cache refresh) at 8 at a time. Prints one JSON line with this process's CPU per call
 * (process.cpuUsage, user + system), which is what each such call costs the gateway. Used by `npm run bench` (bbbcall).
 */
const CONCURRENCY = 8;
const calls = Number(process.env.CALLS ?? 2000);
const bbb = createBbbClient({
  baseUrl: process.env.BBB_URL!,
  secret: process.env.BBB_SECRET!,
  onCall: () => undefined,
});
const run = randomBytes(4).toString('hex');
let created = 0;
const create = () =>
  bbb.create({
    meetingID: `bbbcall-${run}-${created++}`,
    name: 'Lecture',
    attendeePW: 'ap-bench-1',
    moderatorPW: 'mp-bench-1',
    meta: { 'bbb-interface-app': 'lms' },
  });
const [meeting] = await Promise.all([create()]);
const info = () => bbb.getMeetingInfo(meeting!.meetingID);

async function cpuPerCallUs(call: () => Promise<unknown>, n: number): Promise<number> {
  let next = 0;
  const started = process.cpuUsage();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next++ < n) await call();
    }),
  );
  const used = process.cpuUsage(started);
  return (used.user + used.system) / n;
}

// Warm-up first (JIT, keep-alive sockets), then the measured calls.
await cpuPerCallUs(info, 500);
await cpuPerCallUs(create, 200);
const result = { getMeetingInfoUs: await cpuPerCallUs(info, calls), createUs: await cpuPerCallUs(create, calls) };
process.stdout.write(`${JSON.stringify(result)}\n`);
