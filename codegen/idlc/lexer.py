"""Lexer: turns decoded IDL text into tokens.

Token kinds: IDENT, INT, STRING, DOC (a `///` comment), the punctuation in
`PUNCT`, ARROW (`->`) and EOF. Keywords are contextual, so the lexer knows
none: `event` or `error` may still name a field. Plain comments (`//`,
`/* */`) vanish. Invalid input is reported and skipped so that one run finds
every lexical error; a run of bad characters is one error, not one per byte.

`decode()` turns raw file bytes into text first, reporting E005 at the exact
line and column of the first byte that is not UTF-8.
"""

import bisect
import re

from .diagnostics import Span

PUNCT = "{}()<>,;:=@-"


class Token:
    """A token: kind, source text, value (int for INT, str for STRING/DOC), span."""

    __slots__ = ("kind", "text", "value", "span")

    def __init__(self, kind, text, value, span):
        self.kind = kind
        self.text = text
        self.value = value
        self.span = span

    def describe(self):
        """How the token is named in 'expected X, found Y' messages."""
        if self.kind == "EOF":
            return "end of file"
        if self.kind == "IDENT":
            return "'%s'" % self.text
        if self.kind == "INT":
            return "number %s" % self.text
        if self.kind == "STRING":
            return "string"
        if self.kind == "DOC":
            return "doc comment"
        return "'%s'" % self.text

    def __repr__(self):
        return "Token(%s, %r)" % (self.kind, self.text)


def decode(data, source_factory, sink):
    """Decode UTF-8 bytes to text; on failure report E005 and return None.

    `source_factory(text)` builds the Source used for positions; on failure
    it is given the text decoded with replacement characters so the error
    can still show the line.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return source_factory(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        bad = exc.start
        prefix = data[:bad]
        line = prefix.count(b"\n") + 1
        line_start = prefix.rfind(b"\n") + 1
        col = len(prefix[line_start:].decode("utf-8", "replace")) + 1
        source = source_factory(data.decode("utf-8", "replace"))
        sink.error("E005", "byte 0x%02x is not valid UTF-8" % data[bad],
                   Span(source, line, col),
                   help="IDL files are UTF-8 text; re-save the file as UTF-8")
        return None


def parse_int(text):
    """Value of an integer literal, or None if malformed.

    Accepts decimal, 0x hexadecimal and 0b binary, with `_` between digits.
    """
    body = text.lower()
    base = 10
    if body.startswith("0x"):
        base, body = 16, body[2:]
    elif body.startswith("0b"):
        base, body = 2, body[2:]
    if not body or body.startswith("_") or body.endswith("_") or "__" in body:
        return None
    digits = body.replace("_", "")
    allowed = "0123456789abcdef"[:base]
    if not digits or any(c not in allowed for c in digits):
        return None
    if base == 10 and len(digits) > 1 and digits[0] == "0":
        return None  # no octal look-alikes
    if len(digits.lstrip("0")) > 70:
        return 1 << 64  # far too large; never convert thousands of digits
    return int(digits, base)


TOKEN_RE = re.compile(r"""
    (?P<ws>[ \t\r\n\f\v]+)
  | (?P<doc>///(?!/)[^\n]*)
  | (?P<comment>//[^\n]*)
  | (?P<block>/\*)
  | (?P<ident>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<int>[0-9][A-Za-z0-9_]*)
  | (?P<string>"(?:\\["\\]|[^"\n])*")
  | (?P<open_string>")
  | (?P<arrow>->)
  | (?P<punct>[{}()<>,;:=@-])
  | (?P<bad>[^ \t\r\n\f\v"/{}()<>,;:=@A-Za-z0-9_-]+|.)
""", re.VERBOSE | re.DOTALL)


class Lexer:
    """Scans one Source; `tokens()` returns the list ending in EOF."""

    def __init__(self, source, sink):
        self.source = source
        self.sink = sink
        self.text = source.text
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", self.text)]
        self._line = 1

    def _span(self, start, end):
        """Span of text[start:end] (tokens never cross a line).

        Tokens arrive in order, so the line is found by moving forward from
        the previous token's line rather than by searching.
        """
        starts = self.line_starts
        line = self._line
        if start < starts[line - 1]:
            line = bisect.bisect_right(starts, start)
        while line < len(starts) and starts[line] <= start:
            line += 1
        self._line = line
        col = start - starts[line - 1] + 1
        return Span(self.source, line, col, col + max(1, end - start))

    def tokens(self):
        """Scan the whole source."""
        out = []
        text = self.text
        pos, size = 0, len(text)
        match = TOKEN_RE.match
        while pos < size:
            m = match(text, pos)
            kind = m.lastgroup
            end = m.end()
            if kind == "ws" or kind == "comment":
                pass
            elif kind == "ident":
                word = m.group()
                out.append(Token("IDENT", word, word, self._span(pos, end)))
            elif kind == "punct":
                ch = m.group()
                out.append(Token(ch, ch, None, self._span(pos, end)))
            elif kind == "int":
                out.append(self._number(m.group(), self._span(pos, end)))
            elif kind == "doc":
                raw = m.group()[3:].rstrip("\r")
                value = raw[1:] if raw.startswith(" ") else raw
                out.append(Token("DOC", "///" + raw, value, self._span(pos, pos + 3)))
            elif kind == "arrow":
                out.append(Token("ARROW", "->", None, self._span(pos, end)))
            elif kind == "string":
                body = m.group()[1:-1]
                value = body.replace('\\"', '"').replace("\\\\", "\\")
                out.append(Token("STRING", m.group(), value, self._span(pos, end)))
            elif kind == "block":
                close = text.find("*/", pos + 2)
                if close < 0:
                    self.sink.error("E003", "block comment is never closed",
                                    self._span(pos, pos + 2),
                                    help="close it with '*/' (block comments do not nest)")
                    end = size
                else:
                    end = close + 2
            elif kind == "open_string":
                self.sink.error("E002", "string literal is not closed on this line",
                                self._span(pos, pos + 1), help="add the closing '\"'")
                newline = text.find("\n", pos)
                end = size if newline < 0 else newline
            else:
                self._invalid(m.group(), pos, end)
            pos = end
        out.append(Token("EOF", "", None, self._span(size, size + 1)))
        return out

    def _number(self, text, span):
        """An INT token; a malformed or too large literal is E004 (value 0)."""
        value = parse_int(text)
        if value is None:
            self.sink.error("E004", "invalid integer literal '%s'" % _clip(text), span,
                            help="write a decimal (4096), hexadecimal (0x1000) or binary "
                                 "(0b101) number; '_' may separate digits")
            value = 0
        elif value >= 1 << 64:
            self.sink.error("E004", "integer literal '%s' does not fit in 64 bits"
                            % _clip(text), span)
            value = 0
        return Token("INT", text, value, span)

    def _invalid(self, bad, start, end):
        """Report a run of characters outside the language (E001)."""
        first = bad[0]
        what = "U+%04X" % ord(first)
        if first.isprintable():
            what = "'%s' (%s)" % (first, what)
        message = "invalid character %s" % what
        if len(bad) > 1:
            message += " (and %d more)" % (len(bad) - 1)
        self.sink.error("E001", message, self._span(start, end),
                        help="IDL uses only ASCII punctuation: { } ( ) < > , ; : = @ ->")


def _clip(text, limit=40):
    """Shorten very long literals in messages."""
    return text if len(text) <= limit else text[:limit] + "..."


def lex(source, sink):
    """Tokens of `source` (always ending with EOF)."""
    return Lexer(source, sink).tokens()
