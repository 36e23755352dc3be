/**
 * Teams renders a markdown subset in TextBlocks and FactSets. Text that came from people or
 * imports (names, school lists) must show as typed, never as a link, heading, list or emphasis:
 * escape the markers that format anywhere (CommonMark backslash escapes), the block markers only
 * where they would act (at the start of a line), and neutralise HTML-looking angle brackets.
 * Input values and choice titles are not rendered as markdown, so they are left untouched.
 */
export function inertText(value: string): string {
  return (
    value
      .replace(/</g, '\u2039')
      .replace(/>/g, '\u203A')
      .replace(/[\\`*_[\]~]/g, (c) => `\\${c}`)
      .replace(/^(\s*)([#+-])/gm, (_m, space: string, marker: string) => `${space}\\${marker}`)
      // An ordered-list marker is disarmed by escaping its dot ("1\." is not a list).
      .replace(/^(\s*\d+)\./gm, (_m, number: string) => `${number}\\.`)
  );
}
