import type { FastifyInstance, FastifyRequest } from 'fastify';
import { GatewayError, badInput } from '../errors.js';
import type { Caller, MeetingService } from '../meetings/meeting-service.js';

/**
 * The original REST contract (`POST /create`, `POST /join`), byte for byte. A thin translation of snake_case JSON onto
 * the same MeetingService the GraphQL resolvers call; validation and errors come from there.
 */
export function registerLegacyRoutes(app: FastifyInstance, deps: { meetings: MeetingService; callerOf: (req: FastifyRequest) => Caller }): void {
  const { meetings, callerOf } = deps;

  app.post('/create', async (req) => {
    const caller = callerOf(req);
    const body = jsonObject(req.body);
    const created = await meetings.createMeeting(
      caller,
      {
        name: body.name as string,
        attendeePass: body.attendee_pass as string | undefined,
        moderatorPass: body.moderator_pass as string | undefined,
        maxParticipant: body.max_participant as number | undefined,
        redirectAtLogout: body.redirect_at_logout as string | undefined,
      },
      'snake',
    );
    return {
      meeting_id: created.meetingId,
      attendee_pass: created.attendeePass,
      moderator_pass: created.moderatorPass,
      create_time: created.createTime,
      created_at: created.createDate,
    };
  });

  app.post('/join', async (req, reply) => {
    const caller = callerOf(req);
    const body = jsonObject(req.body);
    const url = await meetings.joinUrl(
      caller,
      {
        name: body.name as string,
        meetingId: body.meeting_id as string,
        password: body.password as string,
        createTime: body.create_time as string,
        userId: body.user_id as string | undefined,
        avatar: body.avatar as string | undefined,
        isGuest: body.is_guest as boolean | undefined,
      },
      'snake',
    );
    // 303 makes every client follow with a GET, which BBB 3.0 requires for join; a backend that does not follow reads Location.
    return reply.code(303).header('location', url).send();
  });
}

function jsonObject(body: unknown): Record<string, unknown> {
  if (body === undefined || body === null) throw badInput('The request body is empty; send a JSON object as described in the API documentation.');
  if (typeof body !== 'object' || Array.isArray(body)) throw badInput('The request body must be a JSON object.');
  return body as Record<string, unknown>;
}

export function requireCaller(caller: Caller | undefined, message: string): Caller {
  if (!caller) throw new GatewayError('UNAUTHENTICATED', message);
  return caller;
}
