import { contentLength, contentProblem, MAX_CONTENT_LENGTH } from './messageRules';

describe('message content rules (the server’s)', () => {
  it('counts code points of the trimmed text', () => {
    expect(contentLength('  hello \n')).toBe(5);
    expect(contentLength('😀😀')).toBe(2); // 4 UTF-16 units
    expect(contentLength('')).toBe(0);
  });

  it('accepts up to the limit and refuses beyond it', () => {
    expect(contentProblem('a'.repeat(MAX_CONTENT_LENGTH))).toBeNull();
    expect(contentProblem(` ${'a'.repeat(MAX_CONTENT_LENGTH)}\n`)).toBeNull();
    expect(contentProblem('😀'.repeat(MAX_CONTENT_LENGTH))).toBeNull();
    expect(contentProblem('a'.repeat(MAX_CONTENT_LENGTH + 1))).toBe('tooLong');
  });

  it('refuses empty and invisible-only content', () => {
    expect(contentProblem('')).toBe('empty');
    expect(contentProblem(' \n\t ')).toBe('empty');
    for (const invisible of [
      '\u200B',
      '\u200D\u2060',
      '\u3164',
      '\u2800',
      '\uFE0F',
      '\u{E0100}',
      '\u00A0\u200B',
      '\u115F\u1160\uFFA0',
    ]) {
      expect(contentProblem(`${invisible}`)).toBe('invisible');
    }
    expect(contentProblem('\u200Bhi')).toBeNull();
    expect(contentProblem('❤️')).toBeNull(); // a heart with its variation selector
  });
});
