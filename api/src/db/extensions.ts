// The contrib extensions parley's migrations create (prisma/migrations/*_message_search: unaccent,
// *_message_search_substrings: pg_trgm). PostgreSQL has them in its contrib package; PGlite ships each as a separate
// module that must be passed when an instance is created, so every place that opens an embedded database (the
// server, the test template, the migration drift check's shadow database) takes them from here.
import type { Extensions } from '@electric-sql/pglite';

export async function embeddedExtensions(): Promise<Extensions> {
  const [{ unaccent }, { pg_trgm }] = await Promise.all([
    import('@electric-sql/pglite/contrib/unaccent'),
    import('@electric-sql/pglite/contrib/pg_trgm'),
  ]);
  return { unaccent, pg_trgm };
}
