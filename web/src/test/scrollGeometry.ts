/**
 * jsdom has no layout. Give the transcript scroller a fake but consistent
 * geometry (each list item is 50px tall, the viewport 500px) so scroll logic —
 * stick to bottom, load older at the top, keep position on prepend — runs.
 */
const ITEM = 50;
const VIEWPORT = 500;
const scrollTops = new WeakMap<Element, number>();

function isScroller(el: Element) {
  return el.getAttribute('data-testid') === 'transcript';
}
function contentHeight(el: Element) {
  return el.querySelectorAll('li').length * ITEM + 36;
}

export function installScrollGeometry() {
  const proto = HTMLElement.prototype;
  Object.defineProperty(proto, 'scrollHeight', {
    configurable: true,
    get(this: HTMLElement) {
      return isScroller(this) ? contentHeight(this) : 0;
    },
  });
  Object.defineProperty(proto, 'clientHeight', {
    configurable: true,
    get(this: HTMLElement) {
      return isScroller(this) ? VIEWPORT : 0;
    },
  });
  Object.defineProperty(proto, 'scrollTop', {
    configurable: true,
    get(this: HTMLElement) {
      return scrollTops.get(this) ?? 0;
    },
    set(this: HTMLElement, value: number) {
      const max = Math.max(0, this.scrollHeight - this.clientHeight);
      scrollTops.set(this, Math.min(max, Math.max(0, value)));
    },
  });
  // jsdom defines the real ones on Element.prototype: deleting ours restores them.
  return () => {
    for (const key of ['scrollHeight', 'clientHeight', 'scrollTop'])
      delete (proto as unknown as Record<string, unknown>)[key];
  };
}

export const GEOMETRY = { ITEM, VIEWPORT };
