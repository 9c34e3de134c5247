import { rm } from 'node:fs/promises';

export default async function globalTeardown() {
  const dir = process.env.PARLEY_TEST_TEMPLATE_DIR;
  if (dir) await rm(dir, { recursive: true, force: true });
}
