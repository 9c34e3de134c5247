import { render } from '@testing-library/react';
import { SearchSnippet } from './SearchSnippet';

const marked = (container: HTMLElement) => [...container.querySelectorAll('mark')].map((m) => m.textContent);

describe('a search hit’s snippet', () => {
  it('marks the ranges as UTF-16 offsets, the text around them kept as it is', () => {
    const text = '… café 😀 at the Café, then more';
    const first = text.indexOf('café');
    const second = text.indexOf('Café');
    const { container } = render(
      <SearchSnippet
        text={text}
        highlights={[
          { start: first, length: 4 },
          { start: second, length: 4 },
        ]}
      />,
    );
    expect(marked(container)).toEqual(['café', 'Café']);
    expect(container.textContent).toBe(text);
  });

  it('ignores ranges out of order or empty rather than repeating text', () => {
    const { container } = render(
      <SearchSnippet
        text="alpha beta gamma"
        highlights={[
          { start: 6, length: 4 },
          { start: 0, length: 5 },
          { start: 11, length: 0 },
        ]}
      />,
    );
    expect(marked(container)).toEqual(['beta']);
    expect(container.textContent).toBe('alpha beta gamma');
  });
});
