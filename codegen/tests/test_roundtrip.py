"""IDL_0007: values of every type survive client -> loopback -> skeleton ->
handler -> reply, under AddressSanitizer and UndefinedBehaviorSanitizer.

The round-trip program (c/rt_main.c) is generated from c/rt.idl, compiled
once with -fsanitize=address,undefined and run in several modes: random
round trips, asynchronous futures on a deferred transport, error paths,
events, and malformed requests and replies (which must be refused without
a sanitizer report). A second small program checks the unknown-method
policy of a flexible service.
"""

import os
import shutil
import subprocess
import tempfile
import unittest

import idltest

SEED = "0x5e1e"


class RoundTrip(unittest.TestCase):
    """Build once, run every mode."""

    @classmethod
    def setUpClass(cls):
        cls.work = tempfile.mkdtemp(prefix="idlc-rt-")
        gen = os.path.join(cls.work, "gen")
        idltest.generate(os.path.join(idltest.C_DIR, "rt.idl"), gen, ["--client", "--server"])
        c = idltest.C_DIR
        sources = [os.path.join(gen, "rt_client.c"), os.path.join(gen, "rt_server.c")] + \
            idltest.runtime_sources() + [os.path.join(c, n) for n in (
                "loopback.c", "rt_server.c", "rt_values.c", "rt_calls.c", "rt_main.c")]
        cls.exe = os.path.join(cls.work, "rt_test")
        cls.ok, cls.log = idltest.compile_c(
            idltest.host_cc(), idltest.WARNINGS + idltest.SANITIZE + idltest.includes(gen) +
            ["-I" + c], sources, cls.exe)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.work, True)

    def run_mode(self, *args):
        """Run rt_test with args; it must pass without a sanitizer report."""
        self.assertTrue(self.ok, "compiling the round-trip test failed:\n" + self.log)
        env = dict(os.environ, ASAN_OPTIONS="detect_leaks=1:abort_on_error=0",
                   UBSAN_OPTIONS="print_stacktrace=1")
        proc = subprocess.run([self.exe] + list(args), capture_output=True, text=True,
                              timeout=120, env=env)
        print(proc.stdout.strip())
        self.assertEqual(proc.returncode, 0, "rt_test %s failed:\n%s%s"
                         % (" ".join(args), proc.stdout, proc.stderr[-4000:]))
        self.assertIn("ok ", proc.stdout)

    def test_random_round_trips(self):
        self.run_mode("roundtrip", "300", SEED)

    def test_async_futures(self):
        self.run_mode("async", SEED)

    def test_error_paths(self):
        self.run_mode("errors")

    def test_events(self):
        self.run_mode("events", SEED)

    def test_malformed_messages(self):
        self.run_mode("malformed", "20000", SEED)

    def test_flexible_unknown_methods(self):
        work = idltest.tempdir(self)
        gen = os.path.join(work, "gen")
        idltest.generate(os.path.join(idltest.GOOD, "flexible.idl"), gen, ["--server"])
        exe = os.path.join(work, "flexible_test")
        ok, log = idltest.compile_c(
            idltest.host_cc(), idltest.WARNINGS + idltest.SANITIZE + idltest.includes(gen),
            [os.path.join(gen, "flexible_server.c"), os.path.join(gen, "flexible_strict_server.c"),
             os.path.join(idltest.C_DIR, "flexible_main.c")] + idltest.runtime_sources(), exe)
        self.assertTrue(ok, log)
        proc = subprocess.run([exe], capture_output=True, text=True, timeout=60)
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)


if __name__ == "__main__":
    unittest.main()
