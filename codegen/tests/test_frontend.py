"""IDL_0009: unit tests of the compiler's steps.

Lexer (tokens, positions, CRLF, literals), diagnostics rendering (tabs,
long lines, control characters), versioning, the wire layout (offsets,
padding, sizes) and its agreement with the C runtime's constants, C naming
helpers, and the templates' strictness about undefined variables.
"""

import os
import re
import unittest

import jinja2

import idltest
from idlc import ast, layout, names, render, service
from idlc.check import check
from idlc.diagnostics import CODES, Sink, Source, Span
from idlc.lexer import lex, parse_int
from idlc.resolve import load
from idlc.version import HEAD, annotate, present, show_range


def tokens(text):
    """(kind, text, line, col) of the tokens of text, and the sink."""
    sink = Sink()
    toks = lex(Source("t.idl", "t.idl", text), sink)
    return [(t.kind, t.text, t.span.line, t.span.col) for t in toks], sink


def compile_text(test, text):
    """Load and check IDL text; return (program, sink)."""
    work = idltest.tempdir(test)
    path = os.path.join(work, "x.idl")
    with open(path, "w") as handle:
        handle.write(text)
    sink = Sink()
    program = load(path, sink)
    if program is not None:
        check(program, sink, annotate(program, sink))
    return program, sink


class Lexer(unittest.TestCase):
    """Tokens and positions."""

    def test_tokens_and_positions(self):
        toks, sink = tokens("struct a {\r\n\tx: u8; /// doc\r\n} -> @")
        self.assertFalse(sink.has_errors)
        self.assertEqual(toks, [
            ("IDENT", "struct", 1, 1), ("IDENT", "a", 1, 8), ("{", "{", 1, 10),
            ("IDENT", "x", 2, 2), (":", ":", 2, 3), ("IDENT", "u8", 2, 5), (";", ";", 2, 7),
            ("DOC", "/// doc", 2, 9), ("}", "}", 3, 1), ("ARROW", "->", 3, 3),
            ("@", "@", 3, 6), ("EOF", "", 3, 7)])

    def test_comments_vanish(self):
        toks, sink = tokens("// a\n/* b\n c */ x //// not doc\n")
        self.assertEqual([t[0] for t in toks], ["IDENT", "EOF"])
        self.assertFalse(sink.has_errors)

    def test_integer_literals(self):
        self.assertEqual(parse_int("4096"), 4096)
        self.assertEqual(parse_int("0x1F"), 31)
        self.assertEqual(parse_int("0b101"), 5)
        self.assertEqual(parse_int("1_000"), 1000)
        for bad in ("0x", "1__0", "_1", "1_", "012", "12ab", "0b2"):
            self.assertIsNone(parse_int(bad), bad)

    def test_invalid_characters_grouped(self):
        _, sink = tokens("x $$$ y")
        self.assertEqual([d.code for d in sink.diagnostics], ["E001"])
        self.assertIn("and 2 more", sink.diagnostics[0].message)


class Rendering(unittest.TestCase):
    """How a diagnostic prints."""

    def render(self, line_text, col, end_col):
        """Lines of an E024 diagnostic at a span of line_text."""
        src = Source("t.idl", "t.idl", line_text + "\n")
        sink = Sink()
        sink.error("E024", "msg", Span(src, 1, col, end_col), help="hint")
        return sink.render().splitlines()

    def test_tabs_keep_caret_aligned(self):
        lines = self.render("\tx: \tu33;", 6, 9)
        self.assertEqual(lines[1], "1 | \tx: \tu33;")
        self.assertEqual(lines[2], "  | \t   \t^~~")

    def test_long_lines_are_windowed(self):
        text = "a" * 3000 + " u33 " + "b" * 3000
        lines = self.render(text, 3002, 3005)
        self.assertLessEqual(len(lines[1]), 110)
        self.assertEqual(lines[1].index("u33"), lines[2].index("^"))

    def test_control_characters_are_not_printed(self):
        lines = self.render("x\x1b[31m: u33;", 8, 11)
        self.assertNotIn("\x1b", "\n".join(lines))

    def test_every_code_has_a_title(self):
        for code, title in CODES.items():
            self.assertRegex(code, r"^E\d{3,4}$")
            self.assertTrue(title and title[0].islower(), code)


class Versions(unittest.TestCase):
    """Availability of elements."""

    def test_present_and_ranges(self):
        program, sink = compile_text(self, "struct s {\n    a: u8;\n    @added(2) @removed(4)\n"
                                           "    b: u8;\n}\n")
        self.assertFalse(sink.has_errors, sink.render())
        fields = program.root.decls[0].fields
        self.assertEqual([present(fields[1], v) for v in (1, 2, 3, 4, HEAD)],
                         [False, True, True, False, False])
        self.assertTrue(present(fields[0], HEAD))
        self.assertEqual(show_range(fields[1].avail), "from version 2 until 4")


class Layout(unittest.TestCase):
    """The wire layout."""

    def test_struct_padding(self):
        program, sink = compile_text(self, "struct s {\n    a: u8;\n    b: u64;\n    c: u16;\n"
                                           "    d: string<10>;\n    e: bool;\n}\n")
        self.assertFalse(sink.has_errors, sink.render())
        lay = layout.Layouter(HEAD).struct(program.root.decls[0])
        self.assertEqual([off for _, off in lay.fields], [0, 8, 16, 20, 28])
        self.assertEqual((lay.size, lay.align), (32, 8))

    def test_message_sizes(self):
        program, sink = compile_text(self, "service s {\n    1: m(a: u8, t: string<10>, "
                                           "c: cap, l: lease<in, 9>) -> ();\n}\n")
        self.assertFalse(sink.has_errors, sink.render())
        m = program.root.decls[0].methods[0]
        msg = layout.Layouter(HEAD).message(m.params, layout.KIND_REQUEST)
        self.assertEqual([off for _, off in msg.fields], [0, 4, None, None])
        self.assertEqual((msg.fixed_bytes, msg.var_start, msg.max_bytes), (16, 24, 40))
        self.assertEqual((len(msg.caps), len(msg.leases)), (1, 1))

    def test_runtime_constants_agree(self):
        with open(os.path.join(idltest.RUNTIME, "include", "sel", "idl_runtime.h")) as handle:
            header = handle.read()
        defines = dict(re.findall(r"#define (SEL_IDL_\w+)\s+(0x[0-9a-fA-F]+|\d+)u?\b", header))
        expected = {
            "SEL_IDL_WIRE_VERSION": layout.WIRE_VERSION,
            "SEL_IDL_HEADER_BYTES": layout.HEADER_BYTES,
            "SEL_IDL_MAX_MESSAGE_BYTES": layout.MAX_MESSAGE_BYTES,
            "SEL_IDL_MAX_CAPS": layout.MAX_CAPS,
            "SEL_IDL_MAX_LEASES": layout.MAX_LEASES,
            "SEL_IDL_PAYLOAD_ALIGN": layout.PAYLOAD_ALIGN,
            "SEL_IDL_APP_ERROR_BASE": layout.APP_ERROR_BASE,
            "SEL_IDL_MAX_ERROR_VALUE": layout.MAX_ERROR_VALUE,
            "SEL_IDL_LEASE_READ": layout.LEASE_ACCESS["in"],
            "SEL_IDL_LEASE_WRITE": layout.LEASE_ACCESS["out"],
        }
        for name, value in expected.items():
            self.assertEqual(int(defines[name], 0), value, name)
        kinds = dict(re.findall(r"(SEL_IDL_KIND_\w+) = (\d+)", header))
        self.assertEqual({k: int(v) for k, v in kinds.items()}, {
            "SEL_IDL_KIND_REQUEST": layout.KIND_REQUEST, "SEL_IDL_KIND_ONEWAY": layout.KIND_ONEWAY,
            "SEL_IDL_KIND_REPLY": layout.KIND_REPLY, "SEL_IDL_KIND_EVENT": layout.KIND_EVENT})


class CView(unittest.TestCase):
    """C naming and text helpers."""

    def test_prototypes_wrap_at_100_columns(self):
        text = names.proto("int very_long_service_name_method", ["uint64_t parameter_%d" % i
                                                                for i in range(12)])
        lines = text.split("\n")
        self.assertGreater(len(lines), 1)
        for line in lines:
            self.assertLessEqual(len(line.expandtabs(8)), 100)
        self.assertTrue(all(line.startswith("\t") for line in lines[1:]))

    def test_comments_cannot_end_early(self):
        self.assertNotIn("*/", names.comment_text("a */ b"))
        self.assertNotIn("/*", names.comment_text("a /* b"))
        self.assertNotIn("??", names.comment_text("a ??/ b"))

    def test_templates_refuse_undefined_variables(self):
        env = render.environment()
        self.assertTrue(issubclass(env.undefined, jinja2.StrictUndefined))
        program, sink = compile_text(self, "service s {\n    1: m() -> ();\n}\n")
        v = service.service_view(program.root.decls[0], program, HEAD, "x.idl")
        del v["source_c"]
        with self.assertRaises(jinja2.exceptions.UndefinedError):
            render.render(v, {"types"})

    def test_error_enum_constants_include_base(self):
        program, sink = compile_text(self, "enum s_err : u8 {\n    bad = 3;\n}\n"
                                           "service s {\n    1: m() -> () error s_err;\n}\n")
        self.assertFalse(sink.has_errors, sink.render())
        self.assertTrue(program.decls["s_err"].is_error)
        v = service.service_view(program.decls["s"], program, HEAD, "x.idl")
        text = render.render(v, {"types"})["s_types.h"]
        self.assertIn("\tS_ERR_BAD = SEL_IDL_APP_ERROR_BASE + 3,\n", text)


class Types(unittest.TestCase):
    """Resolved types."""

    def test_primitive_ranges(self):
        self.assertEqual(ast.PRIMITIVES["i8"].range(), (-128, 127))
        self.assertEqual(ast.PRIMITIVES["u16"].range(), (0, 65535))


if __name__ == "__main__":
    unittest.main()
