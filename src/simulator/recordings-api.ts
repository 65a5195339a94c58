/** getRecordings, publishRecordings, deleteRecordings and updateRecordings (bbb-api.md §4.5, §4.6, §7). */
import { xml, type ApiContext, type Reply } from './api-context.js';
import { MSG, failed, success } from './messages.js';
import type { RecordingStateName, SimRecording } from './types.js';
import { metaParams } from './query.js';
import { el, type XmlElement } from './xml.js';

const DEFAULT_STATES: RecordingStateName[] = ['published', 'unpublished'];

function commaList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

function metadataValue(rec: SimRecording, key: string): string | undefined {
  const found = Object.keys(rec.metadata).find((k) => k.toLowerCase() === key);
  return found === undefined ? undefined : rec.metadata[found];
}

function recordingElement(r: SimRecording): XmlElement {
  return el('recording', [
    el('recordID', r.recordID),
    el('meetingID', r.meetingID),
    el('internalMeetingID', r.internalMeetingID),
    el('name', r.name, { cdata: true }),
    el('isBreakout', r.isBreakout),
    el('published', r.published),
    el('state', r.state),
    el('startTime', r.startTime),
    el('endTime', r.endTime),
    el('participants', r.participants),
    el(
      'metadata',
      Object.entries(r.metadata).map(([k, v]) => el(k, v, { cdata: true })),
    ),
    el(
      'playback',
      r.formats.map((f) =>
        el('format', [
          el('type', f.type),
          el('url', f.url),
          el('processingTime', f.processingTime),
          el('length', f.length),
          ...(f.preview.length
            ? [
                el('preview', [
                  el(
                    'images',
                    f.preview.map((img) =>
                      el('image', img.url, {
                        attrs: { alt: img.alt, height: String(img.height), width: String(img.width) },
                      }),
                    ),
                  ),
                ]),
              ]
            : []),
        ]),
      ),
    ),
  ]);
}

function paginate(recs: SimRecording[], ctx: ApiContext): SimRecording[] {
  const { offset: rawOffset, limit: rawLimit } = ctx.params;
  // Scalelite serves recordings from its own database and has no pagination at all.
  if (ctx.mode === 'scalelite' || (rawOffset === undefined && rawLimit === undefined)) return recs;
  const offset = /^\d+$/.test(rawOffset ?? '') ? Number(rawOffset) : 0;
  const requested = /^-?\d+$/.test(rawLimit ?? '') ? Number(rawLimit) : 100;
  const limit = Math.min(100, Math.max(1, requested));
  return recs.slice(offset, offset + limit);
}

export function handleGetRecordings(ctx: ApiContext): Reply {
  const recordIDs = commaList(ctx.params['recordID']);
  const meetingIDs = commaList(ctx.params['meetingID']);
  const states = commaList(ctx.params['state']);
  const wanted = states.length ? states : DEFAULT_STATES;
  const anyState = wanted.includes('any');
  const metaFilters = metaParams(ctx.paramList);

  let recs = [...ctx.state.recordings.values()];
  // meetingID is ignored when recordID is given; recordIDs match as prefixes.
  if (recordIDs.length) recs = recs.filter((r) => recordIDs.some((id) => r.recordID.startsWith(id)));
  else if (meetingIDs.length) recs = recs.filter((r) => meetingIDs.includes(r.meetingID));
  if (!anyState) recs = recs.filter((r) => wanted.includes(r.state));
  for (const [key, value] of metaFilters) {
    // Scalelite reads a comma in a meta filter as OR; BBB compares the whole value.
    const accepted = ctx.mode === 'scalelite' ? value.split(',') : [value];
    recs = recs.filter((r) => {
      const actual = metadataValue(r, key);
      return actual !== undefined && accepted.includes(actual);
    });
  }
  recs.sort((a, b) => a.startTime - b.startTime || a.recordID.localeCompare(b.recordID));
  recs = paginate(recs, ctx);

  if (recs.length === 0) {
    const message = ctx.mode === 'scalelite' ? MSG.noRecordingsScalelite : MSG.noRecordingsBbb;
    return xml(
      success([
        el('recordings', undefined, { selfClose: ctx.mode === 'scalelite' }),
        el('messageKey', 'noRecordings'),
        el('message', message),
      ]),
    );
  }
  return xml(success([el('recordings', recs.map(recordingElement))]));
}

/** The recordings named by an exact `recordID` list, or the FAILED answer when the list is missing or matches nothing. */
function targetRecordings(ctx: ApiContext): SimRecording[] | XmlElement {
  const ids = commaList(ctx.params['recordID']);
  if (ids.length === 0) return failed('missingParamRecordID', MSG.missingRecordID);
  return ids.map((id) => ctx.state.recordings.get(id)).filter((r): r is SimRecording => r !== undefined);
}

export function handlePublishRecordings(ctx: ApiContext): Reply {
  if (!commaList(ctx.params['recordID']).length) return xml(failed('missingParamRecordID', MSG.missingRecordID));
  const publish = ctx.params['publish'];
  if (publish === undefined || publish === '') return xml(failed('missingParamPublish', MSG.missingPublish));
  const targets = targetRecordings(ctx);
  if (!Array.isArray(targets)) return xml(targets);
  if (targets.length === 0) return xml(failed('notFound', MSG.recordingsNotFound));
  const flag = publish.toLowerCase() === 'true';
  for (const r of targets) {
    if (r.state === 'deleted') continue;
    r.published = flag;
    r.state = flag ? 'published' : 'unpublished';
  }
  // BBB echoes the parameter string.
  return xml(success([el('published', publish)]));
}

export function handleDeleteRecordings(ctx: ApiContext): Reply {
  const targets = targetRecordings(ctx);
  if (!Array.isArray(targets)) return xml(targets);
  if (targets.length === 0) return xml(failed('notFound', MSG.recordingsNotFound));
  for (const r of targets) {
    r.state = 'deleted';
    r.published = false;
  }
  return xml(success([el('deleted', true)]));
}

export function handleUpdateRecordings(ctx: ApiContext): Reply {
  const targets = targetRecordings(ctx);
  if (!Array.isArray(targets)) return xml(targets);
  if (targets.length === 0) {
    return xml(ctx.mode === 'scalelite' ? success([el('updated', false)]) : failed('notFound', MSG.recordingsNotFound));
  }
  for (const r of targets) {
    for (const [key, value] of metaParams(ctx.paramList)) {
      if (value === '') delete r.metadata[key];
      else r.metadata[key] = value;
    }
  }
  return xml(success([el('updated', true)]));
}
