/**
 * Strings ordered by UTF-16 code unit: the same on every machine and in every locale
 * (`localeCompare` is neither), which byte-identical output depends on.
 */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
