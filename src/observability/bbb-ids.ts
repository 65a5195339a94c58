import type { FastifyRequest } from 'fastify';
import type {
  BbbClient,
  CreateMeetingParams,
  GetRecordingsParams,
  JoinUrlParams,
  PresentationDocument,
} from '../bbb/types.js';
import { observationOf, observationOfCaller, startCallFor, type RequestObservation } from './request-context.js';

/** At most this many IDs of each kind are kept for one request's log line (getRecordings may name many). */
const MAX_LOGGED_IDS = 20;

/**
 * The BBB client as the services use it for one caller: for a caller acting for a request (see actingFor), each call
 * notes the meeting and recording IDs it names on the request's observation, so the request's log line can be traced to
 * a meeting, and starts with that observation as its call context, so its duration and outcome are counted there (the
 * BBB client's onCall). `joinUrl` counts too: a join served from the meeting-info cache makes no BBB call but still names
 * its meeting. A caller without a request (the demo page) gets the client as it is.
 */
export function observedBbb(client: BbbClient): (caller: object) => BbbClient {
  return (caller) => {
    const observation = observationOfCaller(caller);
    return observation === undefined ? client : new ObservedBbb(client, observation);
  };
}

/** The same for calls a request makes without a caller (BBB's end callback confirming the end): counted on its line. */
export function observedBbbOfRequest(client: BbbClient): (req: FastifyRequest) => BbbClient {
  return (req) => {
    const observation = observationOf(req);
    return observation === undefined ? client : new ObservedBbb(client, observation);
  };
}

function note(
  observation: RequestObservation,
  meetingIds: readonly string[] | undefined,
  recordIds: readonly string[] | undefined,
): void {
  for (const id of meetingIds ?? []) if (observation.meetingIds.size < MAX_LOGGED_IDS) observation.meetingIds.add(id);
  for (const id of recordIds ?? [])
    if (observation.recordingIds.size < MAX_LOGGED_IDS) observation.recordingIds.add(id);
}

class ObservedBbb implements BbbClient {
  constructor(
    private readonly client: BbbClient,
    private readonly observation: RequestObservation,
  ) {}

  private run<T>(
    meetingIds: readonly string[] | undefined,
    recordIds: readonly string[] | undefined,
    start: () => T,
  ): T {
    note(this.observation, meetingIds, recordIds);
    return startCallFor(this.observation, start);
  }

  create(params: CreateMeetingParams) {
    return this.run([params.meetingID], undefined, () => this.client.create(params));
  }
  getMeetingInfo(id: string) {
    return this.run([id], undefined, () => this.client.getMeetingInfo(id));
  }
  isMeetingRunning(id: string) {
    return this.run([id], undefined, () => this.client.isMeetingRunning(id));
  }
  end(id: string) {
    return this.run([id], undefined, () => this.client.end(id));
  }
  getMeetings() {
    return this.run(undefined, undefined, () => this.client.getMeetings());
  }
  getRecordings(params?: GetRecordingsParams) {
    return this.run(params?.meetingID, params?.recordID, () => this.client.getRecordings(params));
  }
  publishRecordings(ids: string[], publish: boolean) {
    return this.run(undefined, ids, () => this.client.publishRecordings(ids, publish));
  }
  deleteRecordings(ids: string[]) {
    return this.run(undefined, ids, () => this.client.deleteRecordings(ids));
  }
  updateRecordings(ids: string[], meta: Record<string, string>) {
    return this.run(undefined, ids, () => this.client.updateRecordings(ids, meta));
  }
  insertDocument(id: string, documents: PresentationDocument[]) {
    return this.run([id], undefined, () => this.client.insertDocument(id, documents));
  }
  sendChatMessage(id: string, message: string, userName?: string) {
    return this.run([id], undefined, () => this.client.sendChatMessage(id, message, userName));
  }
  apiVersion() {
    return this.run(undefined, undefined, () => this.client.apiVersion());
  }
  joinUrl(params: JoinUrlParams) {
    return this.run([params.meetingID], undefined, () => this.client.joinUrl(params));
  }
}
