"""IDL_0008: the server skeleton and the client stubs read every structured
byte of a message exactly once (see c/df_main.c), with a positive control."""

import os
import subprocess
import unittest

import idltest
from idlc import ast, layout
from idlc.check import check
from idlc.diagnostics import Sink
from idlc.resolve import load
from idlc.version import HEAD, annotate, present


def message_pairs(msg, reply):
    """(pair offset in the message, read in place?) of every payload of msg."""
    pairs = []

    def walk(ops, env):
        for op in ops:
            if op.op == "var":
                off = layout.HEADER_BYTES + op.off.const + sum(
                    stride * env[var] for stride, var in op.off.terms)
                pairs.append((off, op.opaque and not reply))
            elif op.op == "loop":
                for i in range(op.count):
                    walk(op.body, dict(env, **{op.var: i}))

    walk(msg.program, {})
    return pairs


def layout_header(idl_path):
    """C text of df_layout.h for the service in idl_path, from idlc's layout."""
    sink = Sink()
    program = load(idl_path, sink)
    check(program, sink, annotate(program, sink))
    assert not sink.has_errors, sink.render()
    lay = layout.Layouter(HEAD)
    out = ["/* Written by test_double_fetch.py from idlc's layout module. */",
           "struct df_pair { unsigned off; bool opaque; };",
           "struct df_message { unsigned ordinal; bool reply; unsigned var_start; "
           "unsigned npairs; const struct df_pair *pairs; };"]
    entries = []
    for decl in program.root.decls:
        if not isinstance(decl, ast.Service):
            continue
        for m in decl.methods:
            if not present(m, HEAD):
                continue
            kind = layout.KIND_ONEWAY if m.oneway else layout.KIND_REQUEST
            msgs = [(False, lay.message(m.params, kind))]
            if not m.oneway:
                msgs.append((True, lay.message(m.results, layout.KIND_REPLY)))
            for reply, msg in msgs:
                name = "df_pairs_%d_%d" % (m.ordinal, reply)
                pairs = message_pairs(msg, reply)
                out.append("static const struct df_pair %s[] = {%s};" % (
                    name, ", ".join("{%d, %s}" % (o, "true" if q else "false")
                                    for o, q in pairs) or "{0, false}"))
                entries.append("{%d, %s, %d, %d, %s}" % (
                    m.ordinal, "true" if reply else "false", msg.var_start, len(pairs), name))
    out.append("static const struct df_message df_messages[] = {\n\t%s,\n};"
               % ",\n\t".join(entries))
    return "\n".join(out) + "\n"


class DoubleFetch(unittest.TestCase):
    """Build c/df_main.c with the watching copy-in and run it."""

    def test_every_structured_byte_read_once(self):
        work = idltest.tempdir(self)
        rt = os.path.join(idltest.C_DIR, "rt.idl")
        gen = os.path.join(work, "gen")
        idltest.generate(rt, gen, ["--client", "--server"])
        with open(os.path.join(gen, "df_layout.h"), "w") as handle:
            handle.write(layout_header(rt))
        c = idltest.C_DIR
        sources = [os.path.join(gen, "rt_client.c"), os.path.join(gen, "rt_server.c")] + \
            idltest.runtime_sources(copyin=False) + [
                os.path.join(c, n) for n in ("copyin_watch.c", "loopback.c", "rt_server.c",
                                             "rt_values.c", "rt_calls.c", "df_main.c")]
        exe = os.path.join(work, "df_test")
        ok, log = idltest.compile_c(idltest.host_cc(), idltest.WARNINGS + idltest.SANITIZE +
                                    idltest.includes(gen) + ["-I" + c], sources, exe)
        self.assertTrue(ok, "compiling the double-fetch test failed:\n" + log)
        proc = subprocess.run([exe, "60", "11"], capture_output=True, text=True, timeout=120)
        print(proc.stdout.strip())
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        self.assertIn("ok double-fetch", proc.stdout)


if __name__ == "__main__":
    unittest.main()
