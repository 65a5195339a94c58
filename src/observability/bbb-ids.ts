import type { BbbClient } from '../bbb/types.js';
import { currentObservation } from './request-context.js';

/** At most this many IDs of each kind are kept for one request's log line (getRecordings may name many). */
const MAX_LOGGED_IDS = 20;

/**
 * The BBB client, noting on the running request's observation the meeting and recording IDs each call names, so the
 * request's log line can be traced to a meeting. `joinUrl` counts too: a join served from the meeting-info cache makes
 * no BBB call but still names its meeting.
 */
export function noteBbbIds(client: BbbClient): BbbClient {
  const note = (meetingIds: readonly string[] | undefined, recordIds: readonly string[] | undefined) => {
    const observation = currentObservation();
    if (observation === undefined) return;
    for (const id of meetingIds ?? []) if (observation.meetingIds.size < MAX_LOGGED_IDS) observation.meetingIds.add(id);
    for (const id of recordIds ?? [])
      if (observation.recordingIds.size < MAX_LOGGED_IDS) observation.recordingIds.add(id);
  };
  return {
    create: (params) => (note([params.meetingID], undefined), client.create(params)),
    getMeetingInfo: (meetingID) => (note([meetingID], undefined), client.getMeetingInfo(meetingID)),
    isMeetingRunning: (meetingID) => (note([meetingID], undefined), client.isMeetingRunning(meetingID)),
    end: (meetingID) => (note([meetingID], undefined), client.end(meetingID)),
    getMeetings: () => client.getMeetings(),
    getRecordings: (params) => (note(params?.meetingID, params?.recordID), client.getRecordings(params)),
    publishRecordings: (recordIDs, publish) => (
      note(undefined, recordIDs),
      client.publishRecordings(recordIDs, publish)
    ),
    deleteRecordings: (recordIDs) => (note(undefined, recordIDs), client.deleteRecordings(recordIDs)),
    updateRecordings: (recordIDs, meta) => (note(undefined, recordIDs), client.updateRecordings(recordIDs, meta)),
    insertDocument: (meetingID, documents) => (
      note([meetingID], undefined),
      client.insertDocument(meetingID, documents)
    ),
    sendChatMessage: (meetingID, message, userName) => (
      note([meetingID], undefined),
      client.sendChatMessage(meetingID, message, userName)
    ),
    apiVersion: () => client.apiVersion(),
    joinUrl: (params) => (note([params.meetingID], undefined), client.joinUrl(params)),
  };
}
