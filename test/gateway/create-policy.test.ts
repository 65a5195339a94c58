import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { gql, post, startStack, TOKENS, type Stack } from '../helpers/stack.js';
import { CREATE } from '../helpers/operations.js';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('operator policy for create: BBB_CREATE_DEFAULTS, BBB_CREATE_OVERRIDES, BBB_CREATE_PASSTHROUGH', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      env: {
        BBB_CREATE_DEFAULTS: 'muteOnStart=true,disabledFeatures=chat,polls',
        BBB_CREATE_OVERRIDES: 'record=false,lockSettingsLockOnJoin=true',
        BBB_CREATE_PASSTHROUGH: 'allowModsToUnmuteUsers,meetingCameraCap',
      },
    });
  });
  afterAll(async () => {
    await stack.close();
  });

  const lastCreate = () => stack.sim.received.filter((r) => r.call === 'create').at(-1)!.params;

  it('applies defaults where the app set nothing and overrides whatever it sent', async () => {
    const res = await gql(stack, CREATE, {
      input: { name: 'Policy', record: true, lockSettings: { lockOnJoin: false } },
    });
    expect(res.body.errors).toBeUndefined();
    expect(lastCreate()).toMatchObject({
      muteOnStart: 'true',
      disabledFeatures: 'chat,polls',
      record: 'false',
      lockSettingsLockOnJoin: 'true',
      'meta_bbb-interface-record': 'false',
    });
  });

  it("lets the app's own value win over a default", async () => {
    await gql(stack, CREATE, { input: { name: 'Policy', muteOnStart: false } });
    expect(lastCreate().muteOnStart).toBe('false');
  });

  it('passes listed bbbParameters through raw, on both faces', async () => {
    const res = await gql(stack, CREATE, {
      input: { name: 'Raw', bbbParameters: [{ name: 'allowModsToUnmuteUsers', value: 'true' }] },
    });
    expect(res.body.errors).toBeUndefined();
    expect(lastCreate().allowModsToUnmuteUsers).toBe('true');
    const rest = await post(
      `${stack.url}/create`,
      { name: 'Raw REST', bbb_parameters: { meetingCameraCap: '4' } },
      { authorization: TOKENS.lms },
    );
    expect(rest.status).toBe(200);
    expect(lastCreate().meetingCameraCap).toBe('4');
  });

  it('refuses an unlisted passthrough parameter, naming the field, before BBB', async () => {
    const before = stack.sim.callCount('create');
    const res = await gql(stack, CREATE, {
      input: { name: 'Raw', bbbParameters: [{ name: 'logo', value: 'https://x.example/l.png' }] },
    });
    expect(res.body.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/^bbbParameters\.0\.name logo is not a parameter this gateway passes through/),
      extensions: { code: 'BAD_USER_INPUT' },
    });
    const rest = await post<{ message: string }>(
      `${stack.url}/create`,
      { name: 'Raw', bbb_parameters: { guestPolicy: 'ALWAYS_ACCEPT' } },
      { authorization: TOKENS.lms },
    );
    expect(rest.status).toBe(400);
    expect(rest.body.message).toMatch(/^bbb_parameters\.0\.name guestPolicy is not a parameter/);
    expect(stack.sim.callCount('create')).toBe(before);
  });

  it('refuses a passthrough parameter a typed option already sets', async () => {
    const res = await gql(stack, CREATE, {
      input: {
        name: 'Raw',
        bbbParameters: [
          { name: 'allowModsToUnmuteUsers', value: 'true' },
          { name: 'allowModsToUnmuteUsers', value: 'false' },
        ],
      },
    });
    expect(res.body.errors?.[0]?.message).toMatch(/listed twice/);
  });
});

describe('create policy configuration', () => {
  const base = { NODE_ENV: 'test', API_TOKENS: 'lms:lms-token-0123456789abcdef' };
  it.each([
    [
      'a reserved name in the passthrough list',
      { BBB_CREATE_PASSTHROUGH: 'meetingID,guestPolicy' },
      /BBB_CREATE_PASSTHROUGH: meetingID is set by the gateway itself/,
    ],
    ['a malformed default', { BBB_CREATE_DEFAULTS: '=true' }, /BBB_CREATE_DEFAULTS: "=true" is not a name=value pair/],
    [
      'a gateway-owned override',
      { BBB_CREATE_OVERRIDES: 'attendeePW=x' },
      /BBB_CREATE_OVERRIDES: attendeePW is set by the gateway itself/,
    ],
    [
      'a gateway-owned name in another case',
      { BBB_CREATE_PASSTHROUGH: 'GuestPolicy' },
      /BBB_CREATE_PASSTHROUGH: GuestPolicy is set by the gateway itself/,
    ],
    [
      'a raw logout URL for apps (the typed field checks it is http(s))',
      { BBB_CREATE_PASSTHROUGH: 'logoutURL' },
      /BBB_CREATE_PASSTHROUGH: logoutURL cannot be sent raw by apps/,
    ],
    [
      'raw slide URLs for apps',
      { BBB_CREATE_PASSTHROUGH: 'presentationUploadExternalUrl' },
      /BBB_CREATE_PASSTHROUGH: presentationUploadExternalUrl cannot be sent raw/,
    ],
    [
      'promoting guests to moderators by apps',
      { BBB_CREATE_PASSTHROUGH: 'allowPromoteGuestToModerator' },
      /BBB_CREATE_PASSTHROUGH: allowPromoteGuestToModerator cannot be sent raw/,
    ],
  ])('refuses %s', (_label, env, message) => {
    expect(() => loadConfig({ ...base, ...env })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, ...env })).toThrow(message);
  });

  it('parses values that contain commas', () => {
    const c = loadConfig({ ...base, BBB_CREATE_DEFAULTS: 'disabledFeatures=chat,polls,muteOnStart=true' });
    expect(c.createPolicy.defaults).toEqual([
      ['disabledFeatures', 'chat,polls'],
      ['muteOnStart', 'true'],
    ]);
  });

  it("keeps a value's spaces after a comma as written", () => {
    expect(loadConfig({ ...base, BBB_CREATE_DEFAULTS: 'welcome=Hi, all' }).createPolicy.defaults).toEqual([
      ['welcome', 'Hi, all'],
    ]);
    // An operator default for the logout URL is fine: only apps may not send it raw.
    expect(
      loadConfig({ ...base, BBB_CREATE_DEFAULTS: 'logoutURL=https://lms.example.org/' }).createPolicy.defaults,
    ).toEqual([['logoutURL', 'https://lms.example.org/']]);
  });
});
