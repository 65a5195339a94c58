/** Jest global teardown: stops the redis-server global-setup.ts started, if it started one. */
export default async function globalTeardown(): Promise<void> {
  await globalThis.__testRedis?.stop();
}
