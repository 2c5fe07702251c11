interface Handle {
  stop(): Promise<void>;
}

export default async function globalTeardown(): Promise<void> {
  const handle = (globalThis as { __REVGATE_TEST_DB__?: Handle }).__REVGATE_TEST_DB__;
  if (handle) await handle.stop();
}
