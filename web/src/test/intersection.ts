/**
 * jsdom has no layout, so no IntersectionObserver: this stand-in reports each observed element as on screen or
 * not by `onScreen` (by default every rendered row is on screen), soon after it is observed and on `recheck()`.
 */
type Judge = (el: Element) => boolean;
let judge: Judge = () => true;
const observers = new Set<FakeIntersectionObserver>();

class FakeIntersectionObserver {
  private observed = new Set<Element>();
  constructor(private callback: IntersectionObserverCallback) {
    observers.add(this);
  }
  observe(target: Element) {
    this.observed.add(target);
    setTimeout(() => this.report([target]), 0);
  }
  unobserve(target: Element) {
    this.observed.delete(target);
  }
  disconnect() {
    this.observed.clear();
    observers.delete(this);
  }
  takeRecords() {
    return [];
  }
  report(targets: Element[]) {
    const entries = targets
      .filter((t) => this.observed.has(t) && t.isConnected)
      .map((target) => {
        const shown = judge(target);
        const rect = { height: shown ? 50 : 0 } as DOMRectReadOnly;
        return {
          target,
          isIntersecting: shown,
          intersectionRatio: shown ? 1 : 0,
          intersectionRect: rect,
          rootBounds: { height: 500 } as DOMRectReadOnly,
        } as unknown as IntersectionObserverEntry;
      });
    if (entries.length) this.callback(entries, this as unknown as IntersectionObserver);
  }
  recheck() {
    this.report([...this.observed]);
  }
}

export function installIntersectionObserver() {
  (globalThis as { IntersectionObserver?: unknown }).IntersectionObserver = FakeIntersectionObserver;
}

/** Which elements are on screen from now on; every observer reports again. */
export function setOnScreen(next: Judge) {
  judge = next;
  for (const o of observers) o.recheck();
}
