import { render, screen } from '@testing-library/react';
import { LinkifiedText, linkParts, loadLinkify, mayHaveLinks, safeHref } from './LinkifiedText';

describe('links in messages', () => {
  it('renders http, https, www. and e-mail links as safe anchors opening in a new tab (once linkifyjs is loaded)', async () => {
    render(
      <p>
        <LinkifiedText text="docs at https://example.com/a?b=1, www.parley.dev and http://old.example.org. Mail bob@example.com" />
      </p>,
    );
    // linkifyjs comes on demand: plain text first, then the links.
    const links = await screen.findAllByRole('link');
    expect(links.map((a) => a.getAttribute('href'))).toEqual([
      'https://example.com/a?b=1',
      'https://www.parley.dev/',
      'http://old.example.org/',
      'mailto:bob@example.com',
    ]);
    for (const a of links) {
      expect(a).toHaveAttribute('target', '_blank');
      expect(a).toHaveAttribute('rel', 'noopener noreferrer');
    }
    expect(screen.getByRole('link', { name: 'www.parley.dev' })).toBeInTheDocument();
    // The text around the links is kept as it was, trailing punctuation included.
    expect(links[0].closest('p')).toHaveTextContent(
      'docs at https://example.com/a?b=1, www.parley.dev and http://old.example.org. Mail bob@example.com',
    );
  });

  it('tells text that may hold a link from text that cannot (which never loads linkifyjs)', () => {
    for (const text of ['https://a.example', 'see www.x', 'bob@example.com', 'parley.dev', 'http://localhost:4000']) {
      expect(mayHaveLinks(text)).toBe(true);
    }
    for (const text of ['Lunch?', 'See you at 12.30, ok', 'no links here', '…and 3.5 more']) {
      expect(mayHaveLinks(text)).toBe(false);
    }
  });

  it('never makes a link of javascript:, data: or other schemes', async () => {
    await loadLinkify();
    const { container } = render(
      <p>
        <LinkifiedText text="javascript:alert(1) data:text/html,<b>x</b> ftp://files.example.com/a vbscript:msgbox" />
      </p>,
    );
    expect(container.querySelectorAll('a')).toHaveLength(0);
    expect(container).toHaveTextContent('javascript:alert(1) data:text/html,<b>x</b> ftp://files.example.com/a');
  });

  it('keeps markup as text', async () => {
    await loadLinkify();
    const { container } = render(
      <p>
        <LinkifiedText text={'<a href="javascript:alert(1)">x</a> <img src=x onerror=alert(1)>'} />
      </p>,
    );
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelectorAll('a')).toHaveLength(0);
  });

  it('checks targets by scheme', () => {
    expect(safeHref('https://a.example/x')).toBe('https://a.example/x');
    expect(safeHref('mailto:a@b.example')).toBe('mailto:a@b.example');
    expect(safeHref('javascript:alert(1)')).toBeNull();
    expect(safeHref('JavaScript:alert(1)')).toBeNull();
    expect(safeHref(' javascript:alert(1)')).toBeNull();
    expect(safeHref('ftp://a.example')).toBeNull();
    expect(safeHref('not a url')).toBeNull();
  });

  it('splits text into parts that join back to the original', async () => {
    await loadLinkify();
    const text = 'a www.x.com b';
    const parts = linkParts(text);
    expect(parts).toEqual([{ text: 'a ' }, { text: 'www.x.com', href: 'https://www.x.com/' }, { text: ' b' }]);
    expect(parts.map((p) => p.text).join('')).toBe(text);
    expect(linkParts('no links here')).toEqual([{ text: 'no links here' }]);
    expect(linkParts('')).toEqual([]);
  });
});
