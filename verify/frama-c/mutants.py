"""Seeded bugs in the capability core, each caught by a goal WP proves.

run_wp.py --mutant NAME copies kernel/ to a temp directory, replaces the text
`old` of `file` (it must occur exactly once there) by `new`, proves `targets`
on the copy and passes only if every goal of `kills` is unproved on it and is
listed "proved" in the manifest of `group` (manifests/<group>.goals): the
property named in `breaks` is one the proofs establish on the real code, and
they catch its violation. No mutant is ever compiled into the kernel: the
production sources carry no mutant macro.

Each entry is a CTest test (verify/frama-c/CMakeLists.txt, VERIFY_0102 and
VERIFY_0200 onwards). When the code a mutant rewrites changes, the run stops
with "the text to replace occurs 0 times": update `old` and `new` here.
"""

MUTANTS = {
    # VERIFY_0102
    "mint_or": dict(
        breaks="rights within the source's: Mint ORs the requested rights in",
        file="kernel/cap/cdt.c", targets=["derive"],
        old="\tderived = (uint8_t)(src->rights & (uint8_t)rights);\n",
        new="\tderived = (uint8_t)(src->rights | (with_data ? rights : 0u));\n",
        kills=["typed_derive_ensures_derived_rights"]),
    # VERIFY_0200
    "copy_grant": dict(
        breaks="rights within the source's: Copy hands out Grant whatever the source holds",
        file="kernel/cap/cdt.c", targets=["derive"],
        old="\tderived = (uint8_t)(src->rights & (uint8_t)rights);\n",
        new="\tderived = (uint8_t)((src->rights & (uint8_t)rights) |\n"
            "\t                    (with_data ? 0u : SEL_RIGHT_GRANT));\n",
        kills=["typed_derive_ensures_derived_rights"]),
    # VERIFY_0201
    "mutate_or": dict(
        breaks="rights within the source's: Mutate ORs the requested rights in",
        file="kernel/cap/cdt.c", targets=["cdt_mutate"],
        old="\tderived = (uint8_t)(src->cap.rights & (uint8_t)rights);\n",
        new="\tderived = (uint8_t)(src->cap.rights | (uint8_t)rights);\n",
        kills=["typed_cdt_mutate_mutate_ensures_mutate_rights"]),
    # VERIFY_0202
    "mint_rebadge": dict(
        breaks="a set badge never changes: Mint of a badged cap accepts another badge",
        file="kernel/cap/cdt.c", targets=["apply_data"],
        old="\t\tif (src->badge != 0 && data != src->badge) {\n",
        new="\t\tif (src->badge != 0 && data == 0) {\n",
        kills=["typed_apply_data_ensures_badge_kept"]),
    # VERIFY_0203
    "copy_drops_badge": dict(
        breaks="Copy keeps the badge: a copied cap loses its badge",
        file="kernel/cap/cdt.c", targets=["derive"],
        old="\tif (with_data) {\n\t\terr = apply_data(src, data, out);\n\t}\n",
        new="\tif (with_data) {\n\t\terr = apply_data(src, data, out);\n\t} else {\n"
            "\t\tout->badge = 0;\n\t}\n",
        kills=["typed_derive_ensures_badge_kept"]),
    # VERIFY_0204
    "insert_depth": dict(
        breaks="depth = parent + 1: an inserted child gets its parent's depth (a sibling)",
        file="kernel/cap/cdt_list.c", targets=["cdt_insert_new"],
        old="\tdest->depth = parent->depth + 1;\n",
        new="\tdest->depth = parent->depth;\n",
        kills=["typed_cdt_insert_new_ensures_child_depth"]),
    # VERIFY_0205
    "link_no_back": dict(
        breaks="list shape: insertion does not point the successor back at the new node",
        file="kernel/cap/cdt_list.c", targets=["cdt_link_after"],
        old="\tnode->next = next;\n\tif (next != NULL) {\n\t\tnext->prev = node;\n\t}\n",
        new="\tnode->next = next;\n",
        kills=["typed_cdt_link_after_ensures_back_link"]),
    # VERIFY_0206
    "relocate_stale_prev": dict(
        breaks="list shape: Move leaves the predecessor pointing at the emptied source",
        file="kernel/cap/cdt_list.c", targets=["cdt_relocate"],
        old="\t\tdest->prev->next = dest;\n",
        new="\t\tdest->prev->next = src;\n",
        kills=["typed_cdt_relocate_ensures_relinked"]),
    # VERIFY_0207
    "move_keeps_source": dict(
        breaks="Move moves: the source keeps its cap, an unlisted duplicate",
        file="kernel/cap/cdt_list.c", targets=["cdt_relocate"],
        old="\t}\n\tcte_clear(src);\n}\n",
        new="\t}\n}\n",
        kills=["typed_cdt_relocate_ensures_source_emptied"]),
    # VERIFY_0208
    "overwrite_dest": dict(
        breaks="Copy/Mint/Move/Mutate never overwrite a live cap: the occupied check is gone",
        file="kernel/cap/cdt.c", targets=["check_src_dest"],
        old="\tif (!cte_is_empty(dest)) {\n\t\treturn SEL_ERR_SLOT_OCCUPIED;\n\t}\n"
            "\tif (cte_is_empty(src)) {\n",
        new="\tif (cte_is_empty(src)) {\n",
        kills=["typed_check_src_dest_ensures_occupied"]),
    # VERIFY_0209
    "has_children_misses": dict(
        breaks="Mutate and Reset see children: a direct child is not counted "
               "(rights of a parent changed under its children, a watermark reset "
               "under live objects)",
        file="kernel/cap/cdt_list.c", targets=["cdt_has_children"],
        old="\treturn slot->next != NULL && slot->next->depth > slot->depth;\n",
        new="\treturn slot->next != NULL && slot->next->depth > slot->depth + 1;\n",
        kills=["typed_cdt_has_children_ensures"]),
    # VERIFY_0210
    "depth_unbounded": dict(
        breaks="depth stays bounded: Copy/Mint below the deepest level",
        file="kernel/cap/cdt.c", targets=["derive_child"],
        old="\tif (src->depth >= CAP_DEPTH_MAX) {\n\t\treturn SEL_ERR_RANGE;\n\t}\n"
            "\tcap_assert(cap_rights_within(newcap.rights",
        new="\tcap_assert(cap_rights_within(newcap.rights",
        kills=["typed_derive_child_call_cdt_insert_new_requires_5"]),
    # VERIFY_0211
    "retype_over_live": dict(
        group="retype",
        breaks="Retype never overwrites a live cap: the first destination is not checked",
        file="kernel/cap/untyped_retype.c", targets=["slots_empty"],
        old="\t\tif (!cte_is_empty(&dest[i])) {\n",
        new="\t\tif (i > 0 && !cte_is_empty(&dest[i])) {\n",
        kills=["typed_slots_empty_loop_invariant_2_preserved"]),
    # VERIFY_0212
    "retype_any_cap": dict(
        group="retype",
        breaks="only Untyped memory is retyped: any cap (a live CNode's memory) is accepted",
        file="kernel/cap/untyped_retype.c", targets=["untyped_retype"],
        old="\tif (ut->cap.type != SEL_OBJ_UNTYPED) {\n\t\treturn SEL_ERR_WRONG_TYPE;\n"
            "\t}\n\terr = check_kind(",
        new="\tif (ut->cap.type == SEL_OBJ_NULL) {\n\t\treturn SEL_ERR_WRONG_TYPE;\n"
            "\t}\n\terr = check_kind(",
        props=["not_untyped_error"],
        kills=["typed_untyped_retype_not_untyped_ensures_not_untyped_error"]),
    # VERIFY_0213
    "retype_mark_on_failure": dict(
        group="retype",
        breaks="a refused Retype changes nothing: the watermark moves before the space check",
        file="kernel/cap/untyped_retype.c", targets=["untyped_retype"],
        old="\terr = place(ut, obj_bits, count, &offset);\n\tif (err != SEL_OK) {\n"
            "\t\treturn err;\n\t}\n\tut->cap.word0 = offset + (count << obj_bits);\n",
        new="\terr = place(ut, obj_bits, count, &offset);\n"
            "\tut->cap.word0 = offset + (count << obj_bits);\n\tif (err != SEL_OK) {\n"
            "\t\treturn err;\n\t}\n",
        props=["refused"],
        kills=["typed_untyped_retype_retype_ensures_refused"]),
    # VERIFY_0214
    "retype_badged": dict(
        group="retype",
        breaks="a new object's cap has no badge: Retype hands out a badged (forged) cap",
        file="kernel/cap/untyped_retype.c", targets=["new_object_cap"],
        old="\tc.rights = SEL_RIGHTS_ALL;\n",
        new="\tc.rights = SEL_RIGHTS_ALL;\n\tc.badge = addr;\n",
        kills=["typed_new_object_cap_ensures"]),
    # VERIFY_0300
    "derive_child_grant": dict(
        breaks="rights within the source's: derive_child adds Grant to the derived cap "
               "after derive() and the run-time checks (the cap Copy and Mint insert)",
        file="kernel/cap/cdt.c", targets=["derive_child"],
        old="\t/*@ assert insert_around:",
        new="\tnewcap.rights |= SEL_RIGHT_GRANT;\n\t/*@ assert insert_around:",
        props=["insert_derived"],
        kills=["typed_derive_child_assert_insert_derived"]),
    # VERIFY_0301
    "relocate_stale_next": dict(
        breaks="list shape (cdt_prev_ok): Move leaves the successor pointing back at the "
               "emptied source",
        file="kernel/cap/cdt_list.c", targets=["cdt_relocate"],
        old="\tif (dest->next != NULL) {\n\t\tdest->next->prev = dest;\n\t}\n\tcte_clear(src);\n",
        new="\tcte_clear(src);\n",
        props=["inv_prev_next"],
        kills=["typed_cdt_relocate_ensures_inv_prev_next"]),
    # VERIFY_0302
    "insert_depth_skip": dict(
        breaks="depth of every node (cdt_depth_step): an inserted child two levels below "
               "its parent, so the tree read from the list has no parent for it",
        file="kernel/cap/cdt_list.c", targets=["cdt_insert_new"],
        old="\tdest->depth = parent->depth + 1;\n",
        new="\tdest->depth = parent->depth + 2;\n",
        props=["inv_depth_parent"],
        kills=["typed_cdt_insert_new_ensures_inv_depth_parent"]),
    # VERIFY_0303
    "copy_other_object": dict(
        breaks="containment (cap_derived): a copied cap names another object than its "
               "parent's, neither the same nor inside an Untyped parent",
        file="kernel/cap/cdt.c", targets=["derive_child"],
        old="\tcap_assert(src->cap.badge == 0 || newcap.badge == src->cap.badge,",
        new="\tnewcap.object = 0;\n"
            "\tcap_assert(src->cap.badge == 0 || newcap.badge == src->cap.badge,",
        props=["insert_derived"],
        kills=["typed_derive_child_assert_insert_derived"]),
    # VERIFY_0304
    "move_drops_gen": dict(
        breaks="no slot refers to a freed object (cdt_obj_live): Move gives the "
               "destination another generation than its object's (cdt_move's inv_live "
               "rests on cdt_relocate's same_gen)",
        file="kernel/cap/cdt_list.c", targets=["cdt_relocate"],
        old="\t*dest = *src;\n",
        new="\t*dest = *src;\n\tdest->obj_gen = 0;\n",
        props=["same_gen"],
        kills=["typed_cdt_relocate_ensures_same_gen"]),
    # VERIFY_0305
    "insert_other_gen": dict(
        breaks="no slot refers to a freed object (cdt_obj_live): an inserted child gets "
               "a generation its object was not created with",
        file="kernel/cap/cdt_list.c", targets=["cdt_insert_new"],
        old="\tdest->obj_gen = gen;\n",
        new="\tdest->obj_gen = gen + 1u;\n",
        props=["inv_live_dest"],
        kills=["typed_cdt_insert_new_ensures_inv_live_dest"]),
    # VERIFY_0306
    "insert_unlinked_parent": dict(
        breaks="list shape (cdt_next_ok): the parent is not pointed at the inserted child",
        file="kernel/cap/cdt_list.c", targets=["cdt_insert_new"],
        old="\tcdt_link_after(cdt, parent, dest);\n",
        new="\tcdt_link_after(cdt, parent, dest);\n\tparent->next = dest->next;\n",
        props=["inv_next_parent"],
        kills=["typed_cdt_insert_new_ensures_inv_next_parent"]),
}
