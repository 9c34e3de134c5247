import { join, resolve } from 'node:path';

// e2e/support → web → repository root (jest runs this as CommonJS, so __dirname exists).
export const WEB_DIR = resolve(__dirname, '..', '..');
export const REPO_ROOT = resolve(WEB_DIR, '..');
export const API_ENTRY = join(REPO_ROOT, 'api', 'src', 'main.ts');
export const WEB_DIST_INDEX = join(WEB_DIR, 'dist', 'index.html');
export const RESULTS_DIR = join(REPO_ROOT, 'test-results', 'e2e');
