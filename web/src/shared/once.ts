/**
 * A value made on first use and kept from then on. For what is costly to make and often not needed at all: an
 * `Intl.NumberFormat` made when its module loads loads ICU's number data on every start (issue #24).
 */
export function once<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => (made ??= { value: make() }).value;
}
