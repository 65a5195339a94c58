import { randomBytes } from 'node:crypto';
import { Agent, get } from 'node:http';
import got from 'got';
import { normaliseBaseUrl } from '../../src/bbb/base-url.js';
import { createBbbClient } from '../../src/bbb/client.js';
import { parseResponse } from '../../src/bbb/parse.js';
import { signQuery } from '../../src/bbb/signing.js';

/**
 * The gateway's BBB client alone, in a process of its own, calling the simulator at BBB_URL: `create` for fresh meetings
 * and `getMeetingInfo` (a join-cache refresh) at 8 at a time, and two floors on the same signed getMeetingInfo URL:
 * node:http alone and got alone. Prints one JSON line with this process's CPU per call (process.cpuUsage, user +
 * system), which is what each such call costs the gateway. Used by `npm run bench` (bbbcall).
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
// The floor under any client: the same signed getMeetingInfo URL fetched with node:http alone on a keep-alive agent, no
// parsing. What the gateway's client costs above it is got, signing, xml2js and the call event.
const infoQuery = signQuery('getMeetingInfo', [['meetingID', meeting!.meetingID]], process.env.BBB_SECRET!, 'sha256');
const infoUrl = `${normaliseBaseUrl(process.env.BBB_URL!).apiBase}getMeetingInfo?${infoQuery}`;
const agent = new Agent({ keepAlive: true });
const bareInfo = () =>
  new Promise<void>((resolve, reject) => {
    get(infoUrl, { agent }, (res) => {
      res.on('data', () => undefined);
      res.on('end', resolve);
    }).on('error', reject);
  });

// got alone on the same URL with no options at all (Node's keep-alive global agent, as the client's), no parsing: what
// got costs whatever it is told. Without the client's options it costs the same (measured: 353–417 µs against 371–390 µs).
const gotInfo = () => got(infoUrl).text();

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
// The floor must fetch the same answer, not a checksum error: parseResponse throws on FAILED, naming BBB's messageKey.
parseResponse(await (await fetch(infoUrl)).text(), { call: 'getMeetingInfo' });
await cpuPerCallUs(bareInfo, 500);
await cpuPerCallUs(gotInfo, 500);
const result = {
  getMeetingInfoUs: await cpuPerCallUs(info, calls),
  createUs: await cpuPerCallUs(create, calls),
  bareHttpUs: await cpuPerCallUs(bareInfo, calls),
  gotAloneUs: await cpuPerCallUs(gotInfo, calls),
};
agent.destroy();
process.stdout.write(`${JSON.stringify(result)}\n`);
