import type { Caller } from '../meetings/meeting-service.js';
import { findApp, tokenFromHeader, type TokenEntry } from './tokens.js';

/** Turns an Authorization header into the calling app, or undefined. Tokens are never logged or echoed. */
export class Authenticator {
  private readonly allMeetings: ReadonlySet<string>;

  constructor(
    private readonly tokens: readonly TokenEntry[],
    allMeetingsApps: readonly string[],
  ) {
    this.allMeetings = new Set(allMeetingsApps);
  }

  /** The caller an access token of this app acts as, or undefined when the app is no longer configured. */
  callerForApp(app: string): Caller | undefined {
    return this.tokens.some((t) => t.name === app) ? { app, allMeetings: this.allMeetings.has(app) } : undefined;
  }

  callerFor(authorization: string | undefined): Caller | undefined {
    const token = tokenFromHeader(authorization);
    if (token === undefined) return undefined;
    const app = findApp(this.tokens, token);
    return app === undefined ? undefined : { app, allMeetings: this.allMeetings.has(app) };
  }
}
