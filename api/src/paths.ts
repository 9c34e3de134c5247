// Where the repository keeps what every workspace shares: the Prisma schema and migrations, the committed GraphQL
// contract, the default data directory, the built web app and the web app's trusted documents.
import { fileURLToPath } from 'node:url';

export const ROOT_DIR = fileURLToPath(new URL('../../', import.meta.url));
export const SCHEMA_PATH = fileURLToPath(new URL('../../prisma/schema.prisma', import.meta.url));
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../prisma/migrations', import.meta.url));
/** The web app's trusted documents (codegen.ts writes them with the app's GraphQL): always trusted by the API. */
export const WEB_TRUSTED_DOCUMENTS = fileURLToPath(
  new URL('../../web/src/gql/persisted-documents.json', import.meta.url),
);
