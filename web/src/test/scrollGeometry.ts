/**
 * jsdom has no layout. Give the transcript scroller a fake but consistent
 * geometry (each list item is 50px tall, the viewport 500px) so scroll logic —
 * stick to bottom, load older at the top, keep position on prepend — runs.
 * The list is virtualised: the rows it leaves out are stood in for by the
 * list's padding, which counts in the scroll height like the rows it replaces.
 */
const ITEM = 50;
const VIEWPORT = 500;
const scrollTops = new WeakMap<Element, number>();

function isScroller(el: Element) {
  return el.getAttribute('data-testid') === 'transcript';
}
function contentHeight(el: Element) {
  const padding = [...el.querySelectorAll('ol')].reduce(
    (sum, ol) => sum + (parseFloat(ol.style.paddingTop) || 0) + (parseFloat(ol.style.paddingBottom) || 0),
    0,
  );
  return el.querySelectorAll('li').length * ITEM + 36 + padding;
}

/** Reports each observed element once, soon after it is observed (its fake size never changes). */
class FakeResizeObserver {
  private observed = new Set<Element>();
  constructor(private callback: ResizeObserverCallback) {}
  observe(target: Element) {
    this.observed.add(target);
    setTimeout(() => {
      if (!this.observed.has(target) || !target.isConnected) return;
      const blockSize = (target as HTMLElement).offsetHeight;
      const box = [{ blockSize, inlineSize: 0 }];
      const entry = { target, borderBoxSize: box, contentBoxSize: box } as unknown as ResizeObserverEntry;
      this.callback([entry], this as unknown as ResizeObserver);
    }, 0);
  }
  unobserve(target: Element) {
    this.observed.delete(target);
  }
  disconnect() {
    this.observed.clear();
  }
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
  // offsetHeight and offsetTop are jsdom's own on HTMLElement.prototype (always 0): put it back afterwards.
  const offsetHeight = Object.getOwnPropertyDescriptor(proto, 'offsetHeight');
  Object.defineProperty(proto, 'offsetHeight', {
    configurable: true,
    get(this: HTMLElement) {
      return this.tagName === 'LI' && this.closest('[data-testid="transcript"]') ? ITEM : 0;
    },
  });
  Object.defineProperty(proto, 'scrollTop', {
    configurable: true,
    get(this: HTMLElement) {
      // Clamped like a browser's when the content has shrunk since.
      return Math.min(scrollTops.get(this) ?? 0, Math.max(0, this.scrollHeight - this.clientHeight));
    },
    set(this: HTMLElement, value: number) {
      const max = Math.max(0, this.scrollHeight - this.clientHeight);
      const next = Math.min(max, Math.max(0, value));
      if (next === (scrollTops.get(this) ?? 0)) return;
      scrollTops.set(this, next);
      // As in a browser, a programmatic scroll fires `scroll` (later, not during the assignment).
      setTimeout(() => this.dispatchEvent(new Event('scroll')), 0);
    },
  });
  // The list starts below the 36px of the older-messages status.
  const offsetTop = Object.getOwnPropertyDescriptor(proto, 'offsetTop');
  Object.defineProperty(proto, 'offsetTop', {
    configurable: true,
    get(this: HTMLElement) {
      return this.tagName === 'OL' && this.parentElement && isScroller(this.parentElement) ? 36 : 0;
    },
  });
  // The virtualiser scrolls with scrollTo (setupTests gives jsdom a no-op one).
  Object.defineProperty(proto, 'scrollTo', {
    configurable: true,
    value(this: HTMLElement, options: ScrollToOptions | number, y?: number) {
      const top = typeof options === 'number' ? y : options.top;
      if (top !== undefined) this.scrollTop = top;
    },
  });
  // Rows mounted while the reader scrolls are measured when a ResizeObserver reports them (as in a browser).
  const hadResizeObserver = 'ResizeObserver' in window;
  if (!hadResizeObserver)
    Object.defineProperty(window, 'ResizeObserver', { configurable: true, value: FakeResizeObserver });
  // jsdom defines the real ones on Element.prototype: deleting ours restores them.
  return () => {
    if (!hadResizeObserver) delete (window as unknown as Record<string, unknown>).ResizeObserver;
    for (const key of ['scrollHeight', 'clientHeight', 'scrollTop', 'scrollTo'])
      delete (proto as unknown as Record<string, unknown>)[key];
    if (offsetHeight) Object.defineProperty(proto, 'offsetHeight', offsetHeight);
    if (offsetTop) Object.defineProperty(proto, 'offsetTop', offsetTop);
  };
}

export const GEOMETRY = { ITEM, VIEWPORT };
