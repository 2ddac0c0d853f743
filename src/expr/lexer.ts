// Tokenizer for the expression grammar.
//
// The lexer is deliberately strict: any character that is not part of the
// grammar (';', '`', '#', '$', '.', '|', non-ASCII letters, ...) is an error
// right here, before parsing. That way the rejection of injection-shaped input
// doesn't depend on the parser happening to trip over it later.

import { ExprError, quoteSnippet } from './expr-error.js';

export type TokenKind =
  | 'number'
  | 'string'
  | 'ident'
  | 'quotedIdent'
  | 'keyword'
  | 'op'
  | 'lparen'
  | 'rparen'
  | 'comma'
  | 'eof';

export interface Token {
  readonly kind: TokenKind;
  /**
   * number: token text; string/quotedIdent: unescaped value; ident: as written;
   * keyword: lower case; op: operator ('!=' already normalized to '<>').
   */
  readonly value: string;
  readonly offset: number;
  readonly length: number;
}

// Words with a meaning in the grammar. Matched case-insensitively and never
// usable as bare column names (double-quote them instead).
export const KEYWORDS: ReadonlySet<string> = new Set([
  'and', 'or', 'not', 'is', 'null', 'in', 'between',
  'case', 'when', 'then', 'else', 'end', 'true', 'false',
]);

// SQL words outside the grammar that signal someone is writing SQL rather
// than an expression (subqueries, statements, unsupported operators). They get
// a specific message instead of a confusing "unexpected token" further on.
// Kept short on purpose: common column names like "date" or "group" stay usable.
export const RESERVED_WORDS: ReadonlySet<string> = new Set([
  'select', 'from', 'where', 'union', 'intersect', 'except', 'exists',
  'insert', 'update', 'delete', 'drop', 'create', 'alter', 'truncate',
  'grant', 'execute', 'like', 'ilike', 'cast', 'interval',
]);

const NUMBER_RE = /(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?/y;
// Anything glued to a number that could continue it ("1abc", "1.", "1e", "0x1f").
const NUMBER_TAIL_RE = /[A-Za-z0-9_.]/;
const IDENT_START_RE = /[A-Za-z_]/;
const IDENT_RE = /[A-Za-z_][A-Za-z0-9_]*/y;
// ASCII control characters other than tab/CR/LF have no business in a spec string, and
// some (NUL) break warehouse drivers outright.
const BAD_CONTROL_RE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

const TWO_CHAR_OPS: Record<string, string> = { '<=': '<=', '>=': '>=', '<>': '<>', '!=': '<>' };
const ONE_CHAR_OPS = new Set(['=', '<', '>', '+', '-', '*', '/']);

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    const two = text.slice(i, i + 2);
    if (two === '--' || two === '/*') {
      throw new ExprError(`SQL comments are not allowed: unexpected '${two}' at offset ${i}`, i, 2);
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(text[i + 1] ?? ''))) {
      tokens.push(lexNumber(text, i));
    } else if (c === "'") {
      tokens.push(lexQuoted(text, i, "'", 'string'));
    } else if (c === '"') {
      tokens.push(lexQuoted(text, i, '"', 'quotedIdent'));
    } else if (IDENT_START_RE.test(c)) {
      IDENT_RE.lastIndex = i;
      const word = IDENT_RE.exec(text)![0];
      const lower = word.toLowerCase();
      tokens.push(
        KEYWORDS.has(lower)
          ? { kind: 'keyword', value: lower, offset: i, length: word.length }
          : { kind: 'ident', value: word, offset: i, length: word.length },
      );
    } else if (TWO_CHAR_OPS[two]) {
      tokens.push({ kind: 'op', value: TWO_CHAR_OPS[two], offset: i, length: 2 });
    } else if (ONE_CHAR_OPS.has(c)) {
      tokens.push({ kind: 'op', value: c, offset: i, length: 1 });
    } else if (c === '(') {
      tokens.push({ kind: 'lparen', value: c, offset: i, length: 1 });
    } else if (c === ')') {
      tokens.push({ kind: 'rparen', value: c, offset: i, length: 1 });
    } else if (c === ',') {
      tokens.push({ kind: 'comma', value: c, offset: i, length: 1 });
    } else {
      throw unexpectedChar(text, i);
    }
    const last = tokens[tokens.length - 1];
    i = last.offset + last.length;
  }
  tokens.push({ kind: 'eof', value: '', offset: text.length, length: 0 });
  return tokens;
}

function lexNumber(text: string, start: number): Token {
  // Callers only enter here on a digit or '.digit', so the regex always matches.
  NUMBER_RE.lastIndex = start;
  const num = NUMBER_RE.exec(text)![0];
  let end = start + num.length;
  if (NUMBER_TAIL_RE.test(text[end] ?? '')) {
    // Swallow the whole glued run so the message shows what the author wrote.
    while (end < text.length && NUMBER_TAIL_RE.test(text[end])) end++;
    const bad = text.slice(start, end);
    throw new ExprError(`malformed number ${quoteSnippet(bad)} at offset ${start}`, start, bad.length);
  }
  return { kind: 'number', value: num, offset: start, length: num.length };
}

/** Lex '...' strings or "..." identifiers; a doubled quote is an escaped quote. */
function lexQuoted(text: string, start: number, quote: string, kind: 'string' | 'quotedIdent'): Token {
  const what = kind === 'string' ? 'string' : 'quoted identifier';
  let value = '';
  let i = start + 1;
  for (;;) {
    const j = text.indexOf(quote, i);
    if (j < 0) {
      throw new ExprError(
        `unterminated ${what} starting at offset ${start}`,
        start,
        text.length - start,
      );
    }
    value += text.slice(i, j);
    if (text[j + 1] === quote) {
      value += quote;
      i = j + 2;
      continue;
    }
    i = j + 1;
    break;
  }
  const bad = BAD_CONTROL_RE.exec(text.slice(start, i));
  if (bad) {
    const at = start + bad.index;
    throw new ExprError(`control character ${quoteSnippet(bad[0])} not allowed at offset ${at}`, at, 1);
  }
  // A line break or tab inside quotes: no warehouse dialect accepts one in a literal, and a value
  // that spans lines is almost always a missing closing quote.
  const breakAt = /[\t\n\r]/.exec(text.slice(start, i));
  if (breakAt) {
    const at = start + breakAt.index;
    throw new ExprError(`${breakAt[0] === '\t' ? 'a tab' : 'a line break'} inside a quoted string is not allowed (offset ${at})`, at, 1);
  }
  if (kind === 'quotedIdent' && value.length === 0) {
    throw new ExprError(`empty quoted identifier at offset ${start}`, start, i - start);
  }
  return { kind, value, offset: start, length: i - start };
}

function unexpectedChar(text: string, i: number): ExprError {
  // Report whole code points so an emoji isn't split into half surrogates.
  const cp = text.codePointAt(i)!;
  const ch = String.fromCodePoint(cp);
  let hint = '';
  if (ch === '.') hint = ' (qualified names are not supported; write the bare column name)';
  else if (ch === ';') hint = ' (only a single expression is allowed)';
  else if (cp > 0x7f && /\p{L}/u.test(ch)) hint = ' (double-quote column names with non-ASCII letters)';
  return new ExprError(`unexpected ${quoteSnippet(ch)} at offset ${i}${hint}`, i, ch.length);
}
