"""Parser: recursive descent from tokens to an `ast.File`.

The grammar (docs/idl.md has the annotated version):

    file     = { import } { decl } EOF
    import   = "import" STRING ";"
    decl     = prefix ( struct | enum | service )
    prefix   = { DOC } { "@" IDENT [ "(" INT ")" ] }
    struct   = "struct" IDENT "{" { prefix IDENT ":" type ";" } "}"
    enum     = "enum" IDENT ":" type "{" { prefix IDENT "=" [ "-" ] INT ";" } "}"
    service  = [ "strict" | "flexible" | "kernel" ] "service" IDENT
               "{" { prefix ( method | event ) } "}"
    method   = [ "oneway" ] INT ":" IDENT params [ "->" params ] [ "error" type ]
               [ "needs" names ] [ "errors" names ] ";"
    names    = "(" [ IDENT { "," IDENT } [ "," ] ] ")"
    event    = "event" INT ":" IDENT params ";"
    params   = "(" [ param { "," param } [ "," ] ] ")"
    param    = prefix IDENT ":" type
    type     = [ "opaque" ] ( "bytes" "<" INT ">" | "string" "<" INT ">"
             | "array" "<" type "," INT ">" | "cap" [ "<" IDENT { "," IDENT } ">" ]
             | "lease" "<" IDENT "," INT ">" | IDENT )

`needs` and `errors` are accepted only in a kernel service (the kernel's
object methods, idl/kernel/: codegen/idlc/kernel.py). Keywords are contextual. On a syntax error the parser reports it once and
skips to the end of the current member or declaration, so later errors in
the same file are still found without a cascade of follow-on errors.
"""

from . import ast
from .diagnostics import Span, TooManyErrors

# Deepest type nesting accepted (array<array<...>>): far beyond real use,
# well below Python's recursion limit.
MAX_TYPE_DEPTH = 32

DECL_WORDS = ("struct", "enum", "service", "strict", "flexible", "kernel", "import")
POLICIES = ("strict", "flexible", "kernel")


class ParseError(Exception):
    """A syntax error that has already been reported."""


class Parser:
    """Parses the token list of one file."""

    def __init__(self, tokens, source, sink):
        self.toks = tokens
        self.source = source
        self.sink = sink
        self.i = 0

    # Token helpers.

    @property
    def tok(self):
        """The current token."""
        return self.toks[self.i]

    def peek(self, n=1):
        """The token n places ahead (EOF at the end)."""
        return self.toks[min(self.i + n, len(self.toks) - 1)]

    def at(self, kind, text=None):
        """True if the current token has this kind (and text, for IDENT)."""
        t = self.tok
        return t.kind == kind and (text is None or t.text == text)

    def at_word(self, word):
        """True if the current token is the contextual keyword `word`."""
        return self.at("IDENT", word)

    def advance(self):
        """Consume and return the current token."""
        t = self.tok
        if t.kind != "EOF":
            self.i += 1
        return t

    def fail(self, expected, help=None, at_previous=False):
        """Report 'expected X, found Y' and raise.

        With at_previous (a missing terminator), the error points just after
        the previous token when the current one starts a new line, as that is
        where the terminator belongs.
        """
        t = self.tok
        span = t.span
        if at_previous and self.i > 0:
            prev = self.toks[self.i - 1]
            if prev.span.line != t.span.line:
                span = Span(prev.span.source, prev.span.line, prev.span.end_col)
        if t.kind == "EOF":
            self.sink.error("E011", "unexpected end of file: expected %s" % expected, span,
                            help=help)
        else:
            self.sink.error("E010", "expected %s, found %s" % (expected, t.describe()), span,
                            help=help)
        raise ParseError()

    def expect(self, kind, expected=None, help=None):
        """Consume a token of `kind` or fail."""
        if self.tok.kind != kind:
            self.fail(expected or "'%s'" % kind, help, at_previous=(kind == ";"))
        return self.advance()

    def expect_word(self, word, help=None):
        """Consume the keyword `word` or fail."""
        if not self.at_word(word):
            self.fail("'%s'" % word, help)
        return self.advance()

    def expect_name(self, what):
        """Consume an identifier naming `what`."""
        if self.tok.kind != "IDENT":
            self.fail("%s name" % what)
        return self.advance()

    def expect_int(self, what):
        """Consume an integer literal for `what`."""
        if self.tok.kind != "INT":
            self.fail(what)
        return self.advance()

    # Recovery.

    def skip_member(self):
        """Skip to just after the next ';' or to (not past) the closing '}'."""
        depth = 0
        while not self.at("EOF"):
            k = self.tok.kind
            if k in "({<":
                depth += 1
            elif k in ")>":
                depth = max(0, depth - 1)
            elif k == "}":
                if depth == 0:
                    return
                depth -= 1
            elif k == ";" and depth == 0:
                self.advance()
                return
            self.advance()

    def skip_decl(self):
        """Skip to the start of the next top-level declaration."""
        depth = 0
        moved = False
        while not self.at("EOF"):
            t = self.tok
            if depth == 0 and moved and (t.kind in ("@", "DOC") or
                                         (t.kind == "IDENT" and t.text in DECL_WORDS)):
                return
            if t.kind == "{":
                depth += 1
            elif t.kind == "}":
                depth -= 1
                if depth <= 0:
                    self.advance()
                    return
            self.advance()
            moved = True

    # Grammar.

    def parse_file(self):
        """file = { import } { decl } EOF."""
        self.imports, decls = [], []
        while not self.at("EOF"):
            if self.at_word("import"):
                self.guard(lambda: self.import_here(decls), self.skip_member)
                continue
            self.guard(lambda: self.parse_decl(decls), self.skip_decl)
        return ast.File(self.source, self.imports, decls)

    def import_here(self, decls):
        """An import; after a declaration it is reported (E033) but still loaded."""
        if decls:
            self.sink.error("E033", "import after declarations", self.tok.span,
                            help="move every import to the top of the file")
        self.imports.append(self.parse_import())

    def guard(self, step, recover):
        """Run a grammar step; on a reported syntax error, recover."""
        start = self.i
        try:
            step()
        except ParseError:
            recover()
            if self.i == start:
                self.advance()

    def parse_import(self):
        """import = "import" STRING ";"."""
        kw = self.advance()
        path = self.expect("STRING", "a quoted file name", help='write: import "common.idl";')
        self.expect(";", "';'")
        return ast.Import(path.value, kw.span.to(path.span))

    def parse_prefix(self):
        """Doc comment lines and attributes before an element."""
        doc_lines, doc_tok, attrs = [], None, []
        while True:
            if self.at("DOC"):
                t = self.advance()
                doc_tok = doc_tok or t
                doc_lines.append(t.value)
            elif self.at("@"):
                attrs.append(self.parse_attribute())
            else:
                break
        doc = "\n".join(doc_lines) if doc_lines else None
        return doc, doc_tok, attrs

    def dangling_doc(self, doc_tok):
        """Report a doc comment followed by nothing it could document."""
        if doc_tok is not None:
            self.sink.error("E012", "doc comment is not followed by anything it can document",
                            doc_tok.span,
                            help="doc comments ('///') go right before a declaration, member, "
                                 "method or parameter; use '//' for other comments")

    def parse_attribute(self):
        """@name or @name(INT)."""
        at = self.advance()
        name = self.expect_name("attribute")
        arg, arg_span, end = None, None, name.span
        if self.at("("):
            self.advance()
            if self.at("-") and self.peek().kind == "INT":
                minus = self.advance()
                num = self.advance()
                arg, arg_span = -num.value, minus.span.to(num.span)
            elif self.at("INT"):
                num = self.advance()
                arg, arg_span = num.value, num.span
            else:
                t = self.tok
                self.sink.error("E014", "attribute '@%s' takes a version number, found %s"
                                % (name.text, t.describe()), t.span,
                                help="write it as @%s(2)" % name.text)
                raise ParseError()
            end = self.expect(")", "')'").span
        return ast.Attribute(name.text, name.span, arg, arg_span, at.span.to(end))

    def parse_decl(self, decls):
        """decl = prefix ( struct | enum | service )."""
        doc, doc_tok, attrs = self.parse_prefix()
        if self.at_word("import") and doc_tok is not None and not attrs:
            # A '///' file header above the imports documents nothing.
            self.dangling_doc(doc_tok)
            self.import_here(decls)
            return
        if self.at_word("struct"):
            decls.append(self.parse_struct(doc, attrs))
        elif self.at_word("enum"):
            decls.append(self.parse_enum(doc, attrs))
        elif self.at_word("service") or (
                any(self.at_word(w) for w in POLICIES)
                and self.peek().kind == "IDENT" and self.peek().text == "service"):
            decls.append(self.parse_service(doc, attrs))
        elif self.at("EOF") and (doc_tok is not None or attrs):
            if doc_tok is not None:
                self.dangling_doc(doc_tok)
            else:
                self.fail("a declaration after the attribute")
        else:
            self.fail("a declaration ('struct', 'enum' or 'service')")

    def parse_struct(self, doc, attrs):
        """struct = "struct" IDENT "{" { field } "}"."""
        self.advance()
        name = self.expect_name("struct")
        self.expect("{", "'{'")
        fields = []
        while not self.at("}"):
            if self.at("EOF"):
                self.fail("'}' to close struct '%s'" % name.text)
            self.guard(lambda: self.parse_field(fields), self.skip_member)
        self.advance()
        return ast.Struct(name.text, name.span, fields, doc, attrs, name.span)

    def parse_field(self, fields):
        """field = prefix IDENT ":" type ";"."""
        doc, doc_tok, attrs = self.parse_prefix()
        if self.at("}") and doc_tok is not None:
            self.dangling_doc(doc_tok)
            return
        name = self.expect_name("field")
        self.expect(":", "':' after the field name", help="fields are written 'name: type;'")
        type_ref = self.parse_type(0)
        self.expect(";", "';' after the field")
        fields.append(ast.Field(name.text, name.span, type_ref, doc, attrs, name.span))

    def parse_enum(self, doc, attrs):
        """enum = "enum" IDENT ":" type "{" { member } "}"."""
        self.advance()
        name = self.expect_name("enum")
        self.expect(":", "':' and the underlying type",
                    help="enums name their wire type: 'enum %s : u32 { ... }'" % name.text)
        underlying = self.parse_type(0)
        self.expect("{", "'{'")
        members = []
        while not self.at("}"):
            if self.at("EOF"):
                self.fail("'}' to close enum '%s'" % name.text)
            self.guard(lambda: self.parse_member(members), self.skip_member)
        self.advance()
        return ast.Enum(name.text, name.span, underlying, members, doc, attrs, name.span)

    def parse_member(self, members):
        """member = prefix IDENT "=" [ "-" ] INT ";"."""
        doc, doc_tok, attrs = self.parse_prefix()
        if self.at("}") and doc_tok is not None:
            self.dangling_doc(doc_tok)
            return
        name = self.expect_name("enum member")
        self.expect("=", "'=' and a value",
                    help="enum members need explicit values: '%s = 1;'" % name.text)
        sign, start = 1, self.tok
        if self.at("-"):
            self.advance()
            sign = -1
        value = self.expect_int("the member's value")
        self.expect(";", "';' after the enum member")
        members.append(ast.EnumMember(name.text, name.span, sign * value.value,
                                      start.span.to(value.span), doc, attrs, name.span))

    def parse_service(self, doc, attrs):
        """service = [ policy ] "service" IDENT "{" { method | event } "}"."""
        policy, policy_span = "strict", None
        if any(self.at_word(w) for w in POLICIES):
            t = self.advance()
            policy, policy_span = t.text, t.span
        self.advance()
        name = self.expect_name("service")
        self.expect("{", "'{'")
        methods, events = [], []
        while not self.at("}"):
            if self.at("EOF"):
                self.fail("'}' to close service '%s'" % name.text)
            self.guard(lambda: self.parse_item(methods, events, policy == "kernel"),
                       self.skip_member)
        self.advance()
        return ast.Service(name.text, name.span, policy, policy_span, methods, events,
                           doc, attrs, name.span)

    def parse_item(self, methods, events, kernel=False):
        """A method or an event, with its prefix (kernel: `needs`, `errors` clauses)."""
        doc, doc_tok, attrs = self.parse_prefix()
        if self.at("}") and doc_tok is not None:
            self.dangling_doc(doc_tok)
            return
        if self.at_word("event") and self.peek().kind == "INT":
            self.advance()
            ordinal = self.advance()
            self.expect(":", "':' after the event id")
            name = self.expect_name("event")
            params = self.parse_params()
            self.expect(";", "';' after the event")
            events.append(ast.Event(name.text, name.span, ordinal.value, ordinal.span, params,
                                    doc, attrs, name.span))
            return
        oneway, oneway_span = False, None
        if self.at_word("oneway"):
            oneway, oneway_span = True, self.advance().span
        if not self.at("INT"):
            hint = None
            if self.at("IDENT") and self.peek().kind == "(":
                hint = "every method needs an explicit id: '1: %s(...)'" % self.tok.text
            self.fail("a method id", help=hint)
        ordinal = self.advance()
        self.expect(":", "':' after the method id")
        name = self.expect_name("method")
        params = self.parse_params()
        results, arrow_span, error = None, None, None
        if self.at("ARROW"):
            arrow_span = self.advance().span
            results = self.parse_params()
            for r in results:
                r.is_result = True
        if self.at_word("error"):
            self.advance()
            error = self.parse_type(0)
        needs = errors = None
        if kernel and self.at_word("needs"):
            self.advance()
            needs = self.parse_names("a right")
        if kernel and self.at_word("errors"):
            self.advance()
            errors = self.parse_names("an error name")
        self.expect(";", "';' after the method")
        method = ast.Method(name.text, name.span, ordinal.value, ordinal.span, oneway,
                            oneway_span, params, results, arrow_span, error, doc, attrs,
                            name.span)
        method.needs, method.errors = needs or [], errors or []
        methods.append(method)

    def parse_names(self, what):
        """names = "(" [ IDENT { "," IDENT } [ "," ] ] ")": a list of (text, span)."""
        self.expect("(", "'('")
        names = []
        while not self.at(")"):
            t = self.expect_name(what)
            names.append((t.text, t.span))
            if not self.at(","):
                break
            self.advance()
        self.expect(")", "')'")
        return names

    def parse_params(self):
        """params = "(" [ param { "," param } [ "," ] ] ")"."""
        self.expect("(", "'('")
        params = []
        while not self.at(")"):
            doc, doc_tok, attrs = self.parse_prefix()
            if self.at(")"):
                self.dangling_doc(doc_tok)
                if doc_tok is None:
                    self.fail("a parameter after the attribute")
                break
            name = self.expect_name("parameter")
            self.expect(":", "':' after the parameter name",
                        help="parameters are written 'name: type'")
            type_ref = self.parse_type(0)
            params.append(ast.Param(name.text, name.span, type_ref, doc, attrs, name.span))
            if not self.at(","):
                break
            self.advance()
        self.expect(")", "',' or ')'")
        return params

    def parse_type(self, depth):
        """type = [ "opaque" ] base."""
        if depth > MAX_TYPE_DEPTH:
            self.sink.error("E006", "types nested more than %d deep" % MAX_TYPE_DEPTH,
                            self.tok.span, help="name an intermediate struct")
            raise ParseError()
        opaque_span = None
        if self.at_word("opaque") and self.peek().kind == "IDENT":
            opaque_span = self.advance().span
        start = self.tok
        if start.kind != "IDENT":
            self.fail("a type")
        word = start.text
        if word in ("bytes", "string") and self.peek().kind == "<":
            self.advance()
            self.advance()
            bound = self.expect_int("a bound (maximum length in bytes)")
            end = self.expect(">", "'>'")
            cls = ast.BytesRef if word == "bytes" else ast.StringRef
            return cls(bound.value, bound.span, opaque_span is not None, opaque_span,
                       start.span.to(end.span))
        if opaque_span is not None:
            return self._named_or_bad(depth, opaque_span)
        if word == "array" and self.peek().kind == "<":
            self.advance()
            self.advance()
            elem = self.parse_type(depth + 1)
            self.expect(",", "',' and the element count", help="write array<T, N>")
            count = self.expect_int("the element count")
            end = self.expect(">", "'>'")
            return ast.ArrayRef(elem, count.value, count.span, start.span.to(end.span))
        if word == "cap":
            self.advance()
            items, end = [], start
            if self.at("<"):
                self.advance()
                while True:
                    item = self.expect_name("right or object type")
                    items.append((item.text, item.span))
                    if not self.at(","):
                        break
                    self.advance()
                end = self.expect(">", "',' or '>'")
            return ast.CapRef(items, start.span.to(end.span))
        if word == "lease" and self.peek().kind == "<":
            self.advance()
            self.advance()
            direction = self.expect_name("lease direction (in, out or inout)")
            self.expect(",", "',' and the lease bound", help="write lease<in, 65536>")
            bound = self.expect_int("the lease bound in bytes")
            end = self.expect(">", "'>'")
            return ast.LeaseRef(direction.text, direction.span, bound.value, bound.span,
                                start.span.to(end.span))
        return self._named_or_bad(depth, None)

    def _named_or_bad(self, depth, opaque_span):
        """A plain type name; record '<...>' after it so check.py can refuse it."""
        name = self.advance()
        ref = ast.NamedRef(name.text, name.span)
        if self.at("<"):
            self.advance()
            args = []
            while not self.at(">"):
                if self.at("INT"):
                    args.append(self.advance())
                else:
                    self.parse_type(depth + 1)
                    args.append(None)
                if not self.at(","):
                    break
                self.advance()
            end = self.expect(">", "'>'")
            ref.args = args
            ref.span = name.span.to(end.span)
        if opaque_span is not None:
            ref.opaque_span = opaque_span
        return ref


def parse(tokens, source, sink):
    """Parse one file's tokens; syntax errors go to `sink`."""
    try:
        return Parser(tokens, source, sink).parse_file()
    except TooManyErrors:
        raise
