import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ApolloClient, HttpLink, InMemoryCache, gql as apolloGql } from '@apollo/client';
import { Client as UrqlClient, fetchExchange } from '@urql/core';
import { GraphQLClient } from 'graphql-request';
import type { CreateMeetingMutation, IssueAccessTokenMutation } from '../generated/graphql.js';
import { assertNoSecretsIn, gql, startStack, type Stack } from '../helpers/stack.js';
import { CREATE, ISSUE_TOKEN } from '../helpers/operations.js';

const MEETING_NAME = 'query MeetingName($id: ID!) { meeting(meetingId: $id) { meetingId name } }';

/** fetch, with every request's method and content type noted (to observe what each client sends by default). */
function observedFetch(seen: { method: string; contentType: string | null }[]): typeof fetch {
  return (input, init) => {
    const request = new Request(input, init);
    seen.push({ method: request.method, contentType: request.headers.get('content-type') });
    return fetch(request);
  };
}

describe('the three popular GraphQL clients, with their defaults, and an access token', () => {
  let stack: Stack;
  let meetingId: string;
  let token: string;
  let url: string;

  beforeAll(async () => {
    stack = await startStack({ env: { ACCESS_TOKEN_SIGNING_KEY: 'graphql-clients-signing-key-0123456789' } });
    url = `${stack.url}/graphql`;
    meetingId = (await gql<CreateMeetingMutation>(stack, CREATE, { input: { name: 'Client lecture' } })).body.data!
      .createMeeting.meetingId;
    token = (
      await gql<IssueAccessTokenMutation>(stack, ISSUE_TOKEN, { input: { meetingId, scopes: ['READ_MEETING'] } })
    ).body.data!.issueAccessToken.token;
  });
  afterAll(async () => {
    await stack.close();
    assertNoSecretsIn(stack.logs, [token]);
  });

  it('urql (queries as GET when they fit in the URL)', async () => {
    const seen: { method: string; contentType: string | null }[] = [];
    const client = new UrqlClient({
      url,
      exchanges: [fetchExchange],
      fetch: observedFetch(seen),
      fetchOptions: { headers: { authorization: `Bearer ${token}` } },
    });
    const result = await client.query(MEETING_NAME, { id: meetingId }).toPromise();
    expect(result.error).toBeUndefined();
    expect(result.data).toEqual({ meeting: { meetingId, name: 'Client lecture' } });
    expect(seen).toEqual([{ method: 'GET', contentType: null }]);
  });

  it('graphql-request in GET mode, and in its default POST mode', async () => {
    for (const method of ['GET', 'POST'] as const) {
      const seen: { method: string; contentType: string | null }[] = [];
      const client = new GraphQLClient(url, {
        method,
        headers: { authorization: `Bearer ${token}` },
        fetch: observedFetch(seen),
      });
      expect(await client.request(MEETING_NAME, { id: meetingId })).toEqual({
        meeting: { meetingId, name: 'Client lecture' },
      });
      expect(seen.map((s) => s.method)).toEqual([method]);
    }
  });

  it('Apollo Client (JSON POST)', async () => {
    const seen: { method: string; contentType: string | null }[] = [];
    const client = new ApolloClient({
      link: new HttpLink({ uri: url, headers: { authorization: `Bearer ${token}` }, fetch: observedFetch(seen) }),
      cache: new InMemoryCache(),
    });
    const result = await client.query({ query: apolloGql(MEETING_NAME), variables: { id: meetingId } });
    expect(result.data).toMatchObject({ meeting: { meetingId, name: 'Client lecture' } });
    expect(seen[0]?.method).toBe('POST');
    client.stop();
  });
});
