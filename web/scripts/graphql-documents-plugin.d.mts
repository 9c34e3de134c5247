// Types of graphql-documents-plugin.mjs (a plain ES module, so that vite.config.ts imports it with its extension).
import type { Plugin } from 'vite';

export function graphqlDocuments(): Plugin[];
