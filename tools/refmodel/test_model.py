#!/usr/bin/env python3
"""Tests of the reference model (ROBUST_0021): each rule of docs/capabilities.md it
implements, on a small CSpace, and the replay of a hand-written trace."""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import replay  # noqa: E402
from model import *  # noqa: E402,F401,F403

MEM = 20  # an Untyped of 2^21 bytes at 0x80000000


def packed(rights=RIGHTS_ALL, dest_depth=64, src_depth=64):
    return dest_depth | src_depth << 8 | rights << 16


class Scene(unittest.TestCase):
    def setUp(self):
        self.m = Model(8)
        self.m.declare(2, CNODE, RIGHTS_ALL, 0, 8, 0)
        self.m.declare(MEM, UNTYPED, RIGHTS_ALL, 0, 21, 0, untyped=(0x80000000, 21, 0))

    def call(self, *a):
        a = (list(a) + [0] * 7)[:7]
        return self.m.invoke(a, (0,) * 6)

    def retype(self, otype, dest, bits=0, count=1, ut=MEM):
        return self.call(ut, UNTYPED_RETYPE, otype, bits, 2, dest, count)[0]

    def cnode(self, label, dest, src, rights=RIGHTS_ALL, data=0):
        """A CNode method on the root with only the registers it has (docs/kernel-api.md):
        Delete and Revoke name one slot, Move takes no rights and no data."""
        if label in (CNODE_DELETE, CNODE_REVOKE):
            return self.call(2, label, dest, 0, 0, 64)[0]
        if label == CNODE_MOVE:
            return self.call(2, label, dest, 2, src, packed(0))[0]
        return self.call(2, label, dest, 2, src, packed(rights), data)[0]

    def ident(self, slot):
        return self.call(2, CNODE_IDENTIFY, slot, 0, 0, 64)

    def watermark(self, ut=MEM):
        return self.call(ut, UNTYPED_INFO)[1][2]

    def test_copy_intersects_rights_and_keeps_badge(self):
        self.assertEqual(self.retype(ENDPOINT, 40), OK)
        self.assertEqual(self.cnode(CNODE_MINT, 41, 40, READ | WRITE, 7), OK)
        self.assertEqual(self.cnode(CNODE_COPY, 42, 41, WRITE | GRANT), OK)
        self.assertEqual(self.ident(42), (OK, (ENDPOINT, WRITE, 7, 0, 0)))
        self.assertEqual(self.cnode(CNODE_MINT, 43, 41, RIGHTS_ALL, 8), BADGE_SET)
        self.assertEqual(self.cnode(CNODE_MINT, 43, 41, RIGHTS_ALL, 0), BADGE_SET)
        self.assertEqual(self.cnode(CNODE_MINT, 43, 41, RIGHTS_ALL, 7), OK)
        self.assertEqual(self.cnode(CNODE_COPY, 44, 40, 1 << 5), INVALID_ARG)

    def test_checks_in_order(self):
        self.assertEqual(self.retype(ENDPOINT, 40), OK)
        self.assertEqual(self.cnode(CNODE_COPY, 40, 41), SLOT_OCCUPIED)
        self.assertEqual(self.cnode(CNODE_COPY, 42, 41), EMPTY_SLOT)
        self.assertEqual(self.cnode(CNODE_COPY, 42, MEM), ILLEGAL_OP)
        self.assertEqual(self.retype(PAGE_TABLE, 43), OK)
        self.assertEqual(self.cnode(CNODE_COPY, 44, 43), ILLEGAL_OP)  # uncopyable
        self.assertEqual(self.cnode(CNODE_MINT, 44, 40, RIGHTS_ALL, 0), OK)
        self.assertEqual(self.cnode(CNODE_MINT, 45, 43, RIGHTS_ALL, 1), ILLEGAL_OP)
        self.assertEqual(self.cnode(CNODE_MOVE, 45, 43), OK)  # Move is allowed
        self.assertEqual(self.call(2, CNODE_COPY, 300, 2, 40, packed())[0], INVALID_CAP)
        self.assertEqual(self.call(2, CNODE_COPY, 46, 2, 40, packed(dest_depth=0))[0], RANGE)
        self.assertEqual(self.call(2, 99)[0], ILLEGAL_OP)

    def test_mutate_with_children(self):
        self.assertEqual(self.retype(NOTIFICATION, 40), OK)
        self.assertEqual(self.cnode(CNODE_COPY, 41, 40), OK)
        self.assertEqual(self.cnode(CNODE_MUTATE, 42, 40, READ), HAS_CHILDREN)
        self.assertEqual(self.cnode(CNODE_MUTATE, 42, 40, RIGHTS_ALL, 3), HAS_CHILDREN)
        self.assertEqual(self.cnode(CNODE_MUTATE, 42, 40), OK)  # changes nothing
        self.assertEqual(self.ident(40)[1][0], NULL)
        self.assertEqual(self.cnode(CNODE_MUTATE, 43, 41, READ, 5), OK)  # a leaf
        self.assertEqual(self.ident(43), (OK, (NOTIFICATION, READ, 5, 0, 0)))

    def test_retype_watermark_alignment_and_errors(self):
        self.assertEqual(self.retype(ENDPOINT, 40), OK)
        self.assertEqual(self.watermark(), 32)
        self.assertEqual(self.retype(FRAME, 41, 12, 2), OK)  # aligned up to 4 KiB
        self.assertEqual(self.watermark(), 3 * 4096)
        self.assertEqual(self.call(41, UNTYPED_INFO)[0], ILLEGAL_OP)
        self.assertEqual(self.retype(FRAME, 50, 13), RANGE)
        self.assertEqual(self.retype(UNTYPED, 50, 21), RANGE)  # not smaller than its parent
        self.assertEqual(self.retype(DEBUG, 50), INVALID_ARG)
        self.assertEqual(self.retype(99, 50), INVALID_ARG)
        self.assertEqual(self.retype(ENDPOINT, 50, count=0), RANGE)
        self.assertEqual(self.retype(ENDPOINT, 255, count=2), RANGE)  # past the CNode
        self.assertEqual(self.retype(ENDPOINT, 39, count=2), SLOT_OCCUPIED)
        self.assertEqual(self.retype(FRAME, 50, 21), NO_MEMORY)
        self.assertEqual(self.call(MEM, UNTYPED_RESET)[0], HAS_CHILDREN)

    def test_revoke_and_restart_from_zero(self):
        self.assertEqual(self.retype(UNTYPED, 40, 16), OK)
        self.assertEqual(self.retype(CNODE, 41, 2, ut=40), OK)
        self.assertEqual(self.cnode(CNODE_COPY, 42, 41), OK)
        self.assertEqual(self.call(2, CNODE_REVOKE, MEM, 0, 0, 64)[0], OK)
        for s in (40, 41, 42):
            self.assertEqual(self.ident(s)[1][0], NULL)
        self.assertEqual(self.watermark(), 1 << 16)  # stays until the next Retype
        self.assertEqual(self.retype(ENDPOINT, 40), OK)
        self.assertEqual(self.watermark(), 32)

    def test_unused_bits_and_the_order_of_the_generic_checks(self):
        # needed rights, then reserved bits (whole unused registers too), then @max,
        # then capability arguments, then the method's own checks
        self.assertEqual(self.retype(ENDPOINT, 40), OK)
        self.assertEqual(self.call(2, CNODE_DELETE, 40, 1, 0, 64)[0], INVALID_ARG)  # a3
        self.assertEqual(self.call(2, CNODE_DELETE, 40, 0, 0, 64, 1)[0], INVALID_ARG)  # a6
        self.assertEqual(self.call(2, CNODE_DELETE, 40, 0, 0, 1 << 8 | 64)[0], INVALID_ARG)
        self.assertEqual(self.call(2, CNODE_IDENTIFY, 40, 0, 4, 64)[0], INVALID_ARG)
        self.assertEqual(self.call(2, CNODE_MOVE, 41, 2, 40, packed(READ))[0], INVALID_ARG)
        self.assertEqual(self.call(2, CNODE_COPY, 41, 2, 40, packed(), 1)[0], INVALID_ARG)
        self.assertEqual(self.call(2, CNODE_COPY, 41, 2, 40, packed() | 1 << 40)[0],
                         INVALID_ARG)
        self.assertEqual(self.call(MEM, UNTYPED_INFO, 0, 0, 0, 0, 1)[0], INVALID_ARG)
        self.assertEqual(self.call(MEM, UNTYPED_RESET, 1)[0], INVALID_ARG)
        self.assertEqual(self.call(MEM, CNODE_DELETE, 0, 1)[0], ILLEGAL_OP)  # before the bits
        self.assertEqual(self.ident(40)[1][0], ENDPOINT)  # nothing changed
        # the source root (a cap argument) before the destination slot, which is occupied
        self.assertEqual(self.call(2, CNODE_COPY, 40, 40, 40, packed())[0], WRONG_TYPE)
        self.assertEqual(self.cnode(CNODE_COPY, 40, 40), SLOT_OCCUPIED)
        # Retype: its destination CNode before its type and count
        self.assertEqual(self.call(MEM, UNTYPED_RETYPE, 99, 0, 40, 50, 0)[0], WRONG_TYPE)
        self.assertEqual(self.call(MEM, UNTYPED_RETYPE, 99, 0, 2, 50, 0)[0], INVALID_ARG)
        # CreateSender: rights, bits, @max (vector 63), then its destination CNode
        self.assertEqual(self.retype(RECEIVER, 41), OK)
        self.assertEqual(self.call(41, RECEIVER_CREATE_SENDER, 64, 40, 42, 64)[0], RANGE)
        self.assertEqual(self.call(41, RECEIVER_CREATE_SENDER, 64, 2, 42, 64, 1)[0],
                         INVALID_ARG)
        self.assertEqual(self.call(41, RECEIVER_CREATE_SENDER, 3, 40, 42, 64)[0], WRONG_TYPE)
        self.assertEqual(self.call(41, RECEIVER_CREATE_SENDER, 3, 2, 42, 1 << 8 | 64)[0],
                         INVALID_ARG)
        self.assertEqual(self.call(41, RECEIVER_CREATE_SENDER, 3, 2, 42, 64)[0], OK)
        self.assertEqual(self.call(42, SENDER_INSTALL, 0, 1)[0], INVALID_ARG)
        # SetFaultEndpoint: the endpoint's Write right before Grant
        self.assertEqual(self.retype(TCB, 43), OK)
        self.assertEqual(self.cnode(CNODE_MINT, 44, 40, READ | GRANT), OK)
        self.assertEqual(self.call(43, TCB_SET_FAULT_ENDPOINT, 44, 1)[0], INVALID_ARG)
        self.assertEqual(self.call(43, TCB_SET_FAULT_ENDPOINT, 44)[0], NO_RIGHTS)
        self.assertEqual(self.call(43, TCB_SET_FAULT_ENDPOINT, 42)[0], WRONG_TYPE)
        self.assertIsNone(self.m.check())

    def test_delete_lifts_children_and_last_cap_empties_a_container(self):
        self.assertEqual(self.retype(CNODE, 40, 2), OK)
        self.assertEqual(self.retype(ENDPOINT, 41), OK)
        # the root's guard takes 56 of a 10-bit address: it does not resolve
        self.assertEqual(self.call(2, CNODE_MINT, 40 << 2 | 1, 2, 41,
                                   packed(dest_depth=10), 0)[0], INVALID_CAP)
        # the new CNode with a guard of 56 zero bits: its slot 1 is address 1 at depth 58
        self.assertEqual(self.call(2, CNODE_MUTATE, 43, 2, 40, packed(), 56)[0], OK)
        self.assertEqual(self.call(43, CNODE_COPY, 1, 2, 41, packed(dest_depth=58))[0], OK)
        self.assertEqual(self.call(43, CNODE_COPY, 1 << 58 | 2, 2, 41,
                                   packed(dest_depth=58))[0], OK)  # bits above are ignored
        self.assertEqual(self.call(43, CNODE_COPY, 1 << 57, 2, 41,
                                   packed(dest_depth=58))[0], INVALID_CAP)  # the guard
        self.assertEqual(self.cnode(CNODE_DELETE, 41, 0), OK)  # the copy keeps it alive
        self.assertEqual(self.call(43, CNODE_IDENTIFY, 1, 0, 0, 58)[1][0], ENDPOINT)
        self.assertEqual(self.cnode(CNODE_DELETE, 43, 0), OK)  # the CNode dies, then the ep
        self.assertEqual(self.call(MEM, UNTYPED_RESET)[0], OK)

    def test_senders(self):
        self.assertEqual(self.retype(RECEIVER, 40), OK)
        self.assertEqual(self.cnode(CNODE_MINT, 41, 40, READ | WRITE), OK)
        self.assertEqual(self.call(41, RECEIVER_CREATE_SENDER, 3, 2, 42, 64)[0], NO_RIGHTS)
        self.assertEqual(self.call(40, RECEIVER_CREATE_SENDER, 64, 2, 42, 64)[0], RANGE)
        self.assertEqual(self.call(40, RECEIVER_CREATE_SENDER, 3, 2, 42, 64)[0], OK)
        self.assertEqual(self.ident(42), (OK, (SENDER, RIGHTS_ALL, 0, 0, 0)))
        self.assertEqual(self.call(40, SENDER_INSTALL, 0)[0], WRONG_TYPE)
        self.assertEqual(self.cnode(CNODE_DELETE, 40, 0), OK)
        self.assertEqual(self.cnode(CNODE_DELETE, 41, 0), OK)
        self.assertEqual(self.call(MEM, UNTYPED_RESET)[0], HAS_CHILDREN)  # the sender is one
        self.assertIsNone(self.m.check())

    def test_slots_of_other_objects(self):
        self.assertEqual(self.retype(RECEIVER, 40), OK)
        self.assertEqual(self.call(40, RECEIVER_CREATE_SENDER, 3, 2, 41, 64)[0], OK)
        self.assertEqual(self.call(41, SENDER_INSTALL, 12)[0], RANGE)
        self.assertEqual(self.call(41, SENDER_INSTALL, 5)[0], OK)
        self.assertEqual(self.call(41, SENDER_INSTALL, 5)[0], SLOT_OCCUPIED)
        self.assertEqual(self.m.syscall(SYS_UINTR_CTL, UINTR_UNINSTALL, 12), RANGE)
        self.assertEqual(self.m.syscall(SYS_UINTR_CTL, UINTR_UNINSTALL, 5), OK)
        self.assertEqual(self.m.syscall(SYS_UINTR_CTL, UINTR_UNINSTALL, 5), OK)  # empty
        self.assertIsNone(self.m.syscall(SYS_UINTR_CTL, 0, 5))  # mask: skipped
        self.assertEqual(self.call(41, SENDER_INSTALL, 5)[0], OK)
        self.assertEqual(self.retype(WINDOW, 42, 12), OK)
        self.assertEqual(self.cnode(CNODE_COPY, 43, 42, READ), OK)
        self.assertEqual(self.call(43, WINDOW_SET_PEER, 1, 41)[0], NO_RIGHTS)
        self.assertEqual(self.call(42, WINDOW_SET_PEER, 4, 41)[0], INVALID_ARG)
        self.assertEqual(self.call(42, WINDOW_SET_PEER, 1, 41)[0], OK)
        # the sender is looked up before anything changes: a wrong one leaves the peer
        self.assertEqual(self.call(42, WINDOW_SET_PEER, 1, 40)[0], WRONG_TYPE)
        self.assertIsNotNone(self.m.root.slots[42].cap.obj.slots[1].cap)
        self.assertEqual(self.call(42, WINDOW_SET_PEER, 1, 0)[0], OK)  # 0: nobody
        self.assertIsNone(self.m.root.slots[42].cap.obj.slots[1].cap)
        self.assertEqual(self.call(42, WINDOW_SET_PEER, 2, 41)[0], OK)
        # the sender is held by the table and the window: revoking the receiver takes both
        self.assertEqual(self.call(2, CNODE_REVOKE, 40, 0, 0, 64)[0], OK)
        self.assertIsNone(self.m.tcb.slots[TCB_SLOT_UITT + 5].cap)
        self.assertIsNone(self.m.root.slots[42].cap.obj.slots[2].cap)
        self.assertEqual(self.retype(TCB, 44), OK)
        self.assertEqual(self.retype(ENDPOINT, 45), OK)
        self.assertEqual(self.cnode(CNODE_MINT, 46, 45, WRITE, 9), OK)
        self.assertEqual(self.call(44, TCB_SET_FAULT_ENDPOINT, 46)[0], NO_RIGHTS)
        self.assertEqual(self.call(44, TCB_SET_FAULT_ENDPOINT, 45)[0], OK)
        self.assertEqual(self.cnode(CNODE_MUTATE, 47, 45, READ), HAS_CHILDREN)  # the copy
        self.assertEqual(self.call(44, TCB_SET_FAULT_ENDPOINT, 0)[0], OK)
        self.assertEqual(self.cnode(CNODE_DELETE, 46, 0), OK)
        self.assertEqual(self.cnode(CNODE_MUTATE, 47, 45, READ), OK)
        self.assertIsNone(self.m.check())


TRACE = """FT begin 1 3
FT slot 2 2 1f 0 8 0
FT slot 14 1 1f 0 15 0
FT untyped 14 80000000 15 0 0
FT call 14 10 4 0 2 28 1 = 0 0 0 0 0 0
FT call 2 1 29 2 28 34040 0 = 0 0 0 0 0 0
FT call 2 7 29 0 0 40 0 = 0 4 3 0 0 0
FT end 3
"""


class Trace(unittest.TestCase):
    def test_a_faithful_trace_replays(self):
        runs = replay.parse(TRACE.splitlines())
        self.assertEqual(len(runs), 1)
        rep = replay.replay(runs[0], self_check=True)
        self.assertEqual((rep.ops, rep.checked), (3, 3))
        self.assertEqual(rep.divergences, [])

    def test_the_first_divergence_is_named(self):
        # a model whose Copy gives every right disagrees with the kernel's Identify
        rep = replay.replay(replay.parse(TRACE.splitlines())[0], mutant="copy-rights")
        self.assertEqual(len(rep.divergences), 1)
        self.assertEqual(rep.divergences[0][1], 2)
        self.assertIn("kernel returned 4 3 0 0 0, model 4 1f 0 0 0", rep.divergences[0][3])
        # and so does a kernel that answers another error
        bad = TRACE.replace("28 34040 0 = 0", "28 34040 0 = 4")
        rep = replay.replay(replay.parse(bad.splitlines())[0])
        self.assertEqual(rep.divergences[0][1:], (1, bad.splitlines()[5],
                                                  "kernel slot_occupied, model ok"))

if __name__ == "__main__":
    unittest.main()
