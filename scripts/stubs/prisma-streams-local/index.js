// See README.md: parley never runs `prisma dev`, the only command that loads this package.
export async function startLocalDurableStreamsServer() {
  throw new Error(
    '`prisma dev` is not available in parley (its @prisma/streams-local needs Node 22): see scripts/stubs/prisma-streams-local/README.md',
  );
}
