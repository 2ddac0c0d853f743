// A single error type for every lexing/parsing/validation failure so callers
// (spec loader, CLI) can render a caret under the offending text without
// parsing message strings.

export class ExprError extends Error {
  /** 0-based offset (UTF-16 code units) into the expression source text. */
  readonly offset: number;
  /** Length of the offending span; 0 for "end of expression" errors. */
  readonly length: number;

  constructor(message: string, offset: number, length: number) {
    super(message);
    this.name = 'ExprError';
    this.offset = offset;
    this.length = length;
  }
}

/**
 * Quote a snippet of source text for an error message. Control characters are
 * shown as \uXXXX so a hostile spec can't inject terminal escapes or fake
 * newlines into CLI output; long snippets are cut so messages stay one line.
 */
export function quoteSnippet(text: string): string {
  const max = 24;
  const cut = text.length > max ? text.slice(0, max) + '...' : text;
  const safe = cut.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) =>
    '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'),
  );
  return `'${safe}'`;
}
