"""Checking a scenario file and building the model the C tables are rendered from.

Every rule of docs/scenarios.md is checked here, in file order; the first
violation raises ScenarioError with the line of the offending key (or of its
table). The model assigns every cap name a slot in its party's CSpace.
"""
import re

from diagnostics import ScenarioError

MAX_PARTIES = 5
MAX_OBJECTS = 12
MAX_CAPS = 48
MAX_STEPS = 48
FIRST_SLOT = 32
NONE = 0xFFFF

KINDS = ["endpoint", "notification", "frame", "window", "uintr_receiver", "untyped", "cnode",
         "tcb"]
# Sized kinds: (default bits, smallest, largest).
BITS = {"frame": (12, 12, 12), "window": (13, 12, 14), "untyped": (12, 4, 16),
        "cnode": (4, 1, 8)}
# SEL_OBJ_* numbers (kernel/abi/selene/object.h), for Retype and Identify.
OBJ_TYPE = {"empty": 0, "untyped": 1, "cnode": 2, "tcb": 3, "endpoint": 4, "notification": 5,
            "frame": 6, "window": 15, "uintr_receiver": 13, "uintr_sender": 14}
RIGHTS = {"read": 1, "write": 2, "grant": 4, "grant_reply": 8, "execute": 16}
ALL_RIGHTS = 0x1F

OPS = ["send", "nbsend", "call", "recv", "nbrecv", "reply", "signal", "wait", "poll", "map",
       "unmap", "read", "write", "copy", "mint", "mutate", "move", "delete", "revoke",
       "identify", "retype", "register", "create_sender", "install", "uintr_send", "interrupts",
       "lease_read", "lease_write", "suspend", "resume", "get_state", "set_priority",
       "bind_notification", "set_fault_endpoint"]
BLOCKING = {"send", "call", "recv", "wait"}
MEMORY = {"read", "write"}

# The keys of each operation beyond party, op and expect: key -> role.
#   cap: a cap of the party (required); new: a new cap name; give/take: optional cap names;
#   int args and observations; rights; kind; vectors.
_MSG = {"cap": "cap", "label": "arg", "value": "arg", "give": "give"}
OP_KEYS = {
    "send": _MSG, "nbsend": _MSG,
    "call": dict(_MSG, lease="lease", lease_rights="lease_rights", lease_length="arg",
                 reply_label="obs", reply_value="obs", reply_caps="obs"),
    "recv": {"cap": "cap", "take": "take", "badge": "obs", "label": "obs", "value": "obs",
             "caps": "obs"},
    "reply": {"label": "arg", "value": "arg"},
    "signal": {"cap": "cap"},
    "wait": {"cap": "cap", "word": "obs"},
    "map": {"cap": "cap", "rights": "rights", "side": "arg"},
    "unmap": {"cap": "cap"},
    "read": {"cap": "cap", "offset": "arg", "value": "obs"},
    "write": {"cap": "cap", "offset": "arg", "value": "arg"},
    "copy": {"cap": "cap", "new": "new", "rights": "rights"},
    "mint": {"cap": "cap", "new": "new", "rights": "rights", "badge": "arg"},
    "move": {"cap": "cap", "new": "new"},
    "delete": {"cap": "cap"},
    "identify": {"cap": "cap", "kind": "obs_kind", "rights": "obs_rights", "badge": "obs"},
    "retype": {"cap": "cap", "new": "new", "kind": "kind", "bits": "arg"},
    "register": {"cap": "cap"},
    "create_sender": {"cap": "cap", "new": "new", "vector": "arg"},
    "install": {"cap": "cap", "index": "arg"},
    "uintr_send": {"index": "arg"},
    "interrupts": {"vectors": "vectors"},
    "lease_read": {"offset": "arg", "value": "obs"},
    "lease_write": {"offset": "arg", "value": "arg"},
    "suspend": {"cap": "cap"},
    "get_state": {"cap": "cap", "state": "obs"},
    "set_priority": {"cap": "cap", "authority": "cap2", "priority": "arg"},
    "bind_notification": {"cap": "cap", "notification": "cap2"},
    "set_fault_endpoint": {"cap": "cap", "endpoint": "cap2"},
}
OP_KEYS["resume"] = OP_KEYS["suspend"]
OP_KEYS["nbrecv"] = OP_KEYS["recv"]
OP_KEYS["poll"] = OP_KEYS["wait"]
OP_KEYS["mutate"] = OP_KEYS["mint"]
OP_KEYS["revoke"] = OP_KEYS["delete"]
# Integer ranges of arguments.
ARG_RANGE = {"side": (0, 3), "offset": (0, 4088), "vector": (0, 63), "index": (0, 63),
             "bits": (1, 16), "lease_length": (1, 4096), "priority": (0, 255)}
# Observation key -> (C check flag, want field).
OBS = {"badge": ("SCEN_CHECK_BADGE", "want_badge"), "label": ("SCEN_CHECK_LABEL", "want_label"),
       "value": ("SCEN_CHECK_VALUE", "want_value"), "caps": ("SCEN_CHECK_CAPS", "want_caps"),
       "reply_label": ("SCEN_CHECK_LABEL", "want_label"),
       "reply_value": ("SCEN_CHECK_VALUE", "want_value"),
       "reply_caps": ("SCEN_CHECK_CAPS", "want_caps"),
       "word": ("SCEN_CHECK_VALUE", "want_value"), "state": ("SCEN_CHECK_VALUE", "want_value")}

ID_RE = re.compile(r"^SCEN_[0-9]{4}$")
NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def read_errors(path):
    """The names of enum sel_error in order (kernel/abi/selene/error.h)."""
    names = {}
    with open(path, encoding="utf-8") as f:
        for m in re.finditer(r"^\s*(SEL_(?:OK|ERR_[A-Z_]+))\s*(?:=\s*(\d+))?\s*,",
                             f.read(), re.M):
            names[m.group(1)] = int(m.group(2)) if m.group(2) else len(names)
    return names


class Checker:
    def __init__(self, path, errors):
        self.path, self.errors = path, errors

    def fail(self, line, code, **fields):
        raise ScenarioError(self.path, line, code, **fields)

    def keys(self, t, context, required, optional=()):
        for k in t.data:
            if k not in required and k not in optional:
                self.fail(t.key_line(k), "unknown-key", key=k, context=context)
        for k in required:
            if k not in t.data:
                self.fail(t.line, "missing-key", key=k, context=context)

    def typed(self, t, key, kind, what):
        v = t.data[key]
        ok = {"string": lambda: isinstance(v, str),
              "integer": lambda: isinstance(v, int) and not isinstance(v, bool),
              "list": lambda: isinstance(v, list)}[kind]()
        if not ok:
            self.fail(t.key_line(key), "type", key=key, what=what)
        return v

    def name(self, t, key):
        v = self.typed(t, key, "string", "a string")
        if not NAME_RE.match(v):
            self.fail(t.key_line(key), "name", value=v)
        return v

    def integer(self, t, key, lo, hi):
        v = self.typed(t, key, "integer", "an integer")
        if not lo <= v <= hi:
            self.fail(t.key_line(key), "range", key=key, value=v, lo=lo, hi=hi)
        return v

    def rights(self, t, key):
        v = t.data[key]
        if isinstance(v, str):
            v = [v]
        if not isinstance(v, list) or not all(isinstance(r, str) for r in v):
            self.fail(t.key_line(key), "rights-type", key=key)
        mask = 0
        for r in v:
            if r == "all":
                mask |= ALL_RIGHTS
            elif r in RIGHTS:
                mask |= RIGHTS[r]
            else:
                self.fail(t.key_line(key), "right", value=r)
        return mask

    def outcome(self, t, op):
        v = self.typed(t, "expect", "string", "a string")
        if v == "allowed":
            return "SEL_OK"
        if v == "fault":
            if op not in MEMORY:
                self.fail(t.key_line("expect"), "fault-op")
            return "SCEN_FAULT"
        if v == "blocked":
            if op not in BLOCKING:
                self.fail(t.key_line("expect"), "blocked-op")
            return "SCEN_BLOCKED"
        if v not in self.errors or v == "SEL_OK":
            self.fail(t.key_line("expect"), "outcome", value=v)
        return v

    def scenario(self, t, parts, seen_ids):
        self.keys(t, "a scenario", ("id", "what", "parties"), ("control", "object", "cap",
                                                              "step"))
        sid = self.typed(t, "id", "string", "a string")
        if not ID_RE.match(sid):
            self.fail(t.key_line("id"), "id", value=sid)
        if sid in seen_ids:
            self.fail(t.key_line("id"), "duplicate-id", value=sid, first=seen_ids[sid])
        seen_ids[sid] = t.key_line("id")
        what = self.typed(t, "what", "string", "a string")
        control = self.typed(t, "control", "string", "a string") if "control" in t.data else None
        if control is not None and not re.match(r"^[^;\n\[\]\\]+$", control):
            self.fail(t.key_line("control"), "control-text")
        parties = self.typed(t, "parties", "list", "a list of names")
        if not 1 <= len(parties) <= MAX_PARTIES:
            self.fail(t.key_line("parties"), "parties", max=MAX_PARTIES)
        for p in parties:
            if not isinstance(p, str) or not NAME_RE.match(p):
                self.fail(t.key_line("parties"), "name", value=p)
            if parties.count(p) > 1:
                self.fail(t.key_line("parties"), "duplicate-party", value=p)
        sc = {"id": sid, "line": t.line, "what": what, "control": control, "parties": parties,
              "objects": [], "caps": [], "steps": [], "slots": [{} for _ in parties]}
        objects = {}
        self.untyped_held = set()
        for o in parts["object"]:
            self.object(o, sc, objects)
        for c in parts["cap"]:
            self.cap(c, sc, objects)
        if len(parts["step"]) > MAX_STEPS:
            self.fail(parts["step"][MAX_STEPS].line, "too-many-steps", max=MAX_STEPS)
        for s in parts["step"]:
            self.step(s, sc)
        return sc

    def object(self, t, sc, objects):
        self.keys(t, "an object", ("name", "kind"), ("bits",))
        if len(sc["objects"]) >= MAX_OBJECTS:
            self.fail(t.line, "too-many-objects", max=MAX_OBJECTS)
        name = self.name(t, "name")
        if name in objects:
            self.fail(t.key_line("name"), "duplicate-object", value=name)
        kind = self.typed(t, "kind", "string", "a string")
        if kind not in KINDS:
            self.fail(t.key_line("kind"), "kind", value=kind, kinds=", ".join(KINDS))
        bits = BITS.get(kind, (0, 0, 0))
        size = bits[0]
        if "bits" in t.data:
            if kind not in BITS:
                self.fail(t.key_line("bits"), "no-size", kind=kind)
            size = self.integer(t, "bits", bits[1], bits[2])
        objects[name] = (len(sc["objects"]), kind)
        sc["objects"].append({"kind": kind, "bits": size})

    def party(self, t, sc, key="party"):
        p = self.typed(t, key, "string", "a string")
        if p not in sc["parties"]:
            self.fail(t.key_line(key), "party", value=p)
        return sc["parties"].index(p)

    def new_slot(self, t, key, sc, party, kind):
        name = self.name(t, key)
        slots = sc["slots"][party]
        if name in slots:
            self.fail(t.key_line(key), "duplicate-cap", party=sc["parties"][party], value=name)
        if len(slots) >= MAX_CAPS:
            self.fail(t.key_line(key), "too-many-caps", party=sc["parties"][party], max=MAX_CAPS)
        slots[name] = (FIRST_SLOT + len(slots), kind)
        return slots[name][0]

    def cap_ref(self, t, key, sc, party):
        name = self.typed(t, key, "string", "a string")
        if name not in sc["slots"][party]:
            self.fail(t.key_line(key), "no-cap", party=sc["parties"][party], value=name)
        return sc["slots"][party][name]

    def cap(self, t, sc, objects):
        self.keys(t, "a cap", ("party", "name"), ("object", "from", "rights", "badge", "vector"))
        party = self.party(t, sc)
        if ("object" in t.data) == ("from" in t.data):
            self.fail(t.line, "object-or-from")
        rights = self.rights(t, "rights") if "rights" in t.data else ALL_RIGHTS
        badge = self.integer(t, "badge", 0, 2**64 - 1) if "badge" in t.data else 0
        vector, obj, src = NONE, 0, NONE
        if "object" in t.data:
            oname = self.typed(t, "object", "string", "a string")
            if oname not in objects:
                self.fail(t.key_line("object"), "object", value=oname)
            obj, kind = objects[oname]
            if kind == "untyped":
                if obj in self.untyped_held:
                    self.fail(t.key_line("object"), "untyped-shared", value=oname)
                self.untyped_held.add(obj)
                if "badge" in t.data:
                    self.fail(t.key_line("badge"), "untyped-badge")
            if "vector" in t.data:
                if kind != "uintr_receiver":
                    self.fail(t.key_line("vector"), "vector-kind")
                vector = self.integer(t, "vector", 0, 63)
                kind = "uintr_sender"
        else:
            ref = self.typed(t, "from", "string", "a string")
            holder, _, cname = ref.partition(".")
            if holder not in sc["parties"] or cname not in sc["slots"][
                    sc["parties"].index(holder)]:
                self.fail(t.key_line("from"), "from", value=ref)
            hp = sc["parties"].index(holder)
            slot, kind = sc["slots"][hp][cname]
            if kind == "untyped":
                self.fail(t.key_line("from"), "untyped-from", value=ref)
            src = next(i for i, c in enumerate(sc["caps"]) if c["party"] == hp and
                       c["slot"] == slot)
            if "vector" in t.data:
                self.fail(t.key_line("vector"), "vector-from")
        slot = self.new_slot(t, "name", sc, party, kind)
        sc["caps"].append({"party": party, "slot": slot, "object": obj, "from": src,
                           "vector": vector, "rights": rights, "badge": badge})

    def step(self, t, sc):
        op = self.typed(t, "op", "string", "a string") if "op" in t.data else None
        if op is None:
            self.fail(t.line, "missing-key", key="op", context="a step")
        if op not in OPS:
            self.fail(t.key_line("op"), "op", value=op)
        spec = OP_KEYS[op]
        required = ["party", "op", "expect"] + [k for k, r in spec.items()
                                                if r in ("cap", "new", "kind", "cap2")]
        if op == "interrupts":
            required.append("vectors")
        self.keys(t, f"a '{op}' step", required, [k for k in spec])
        party = self.party(t, sc)
        st = {"line": t.line, "party": party, "op": op, "cap": NONE, "cap2": NONE, "lease": NONE,
              "rights": 0, "label": 0, "value": 0, "badge": 0, "index": 0,
              "expect": self.outcome(t, op), "check": [], "want": {}}
        if op == "map":
            st["rights"] = RIGHTS["read"] | RIGHTS["write"]
        if "lease" in t.data:
            st["rights"] = RIGHTS["read"] | RIGHTS["write"]
            st["index"] = 4096
        for key in ("lease_rights", "lease_length"):
            if key in t.data and "lease" not in t.data:
                self.fail(t.key_line(key), "lease-needed", key=key)
        for key, role in spec.items():
            if key not in t.data:
                continue
            self.step_key(t, sc, st, key, role)
        sc["steps"].append(st)

    def step_key(self, t, sc, st, key, role):
        party = st["party"]
        if role == "cap":
            st["cap"] = self.cap_ref(t, key, sc, party)[0]
        elif role in ("give", "cap2"):
            st["cap2"] = self.cap_ref(t, key, sc, party)[0]
        elif role == "lease":
            st["lease"] = self.cap_ref(t, key, sc, party)[0]
        elif role == "lease_rights":
            st["rights"] = self.rights(t, key)
        elif role in ("new", "take"):
            kind = self.new_kind(t, sc, st)
            st["cap2"] = self.new_slot(t, key, sc, party, kind)
        elif role == "rights":
            st["rights"] = self.rights(t, key)
        elif role == "arg":
            lo, hi = ARG_RANGE.get(key, (0, 2**64 - 1))
            v = self.integer(t, key, lo, hi)
            field = {"side": "index", "offset": "index", "vector": "index", "index": "index",
                     "bits": "index", "lease_length": "index",
                     "priority": "value"}.get(key, key)
            st[field] = v
        elif role == "kind":
            kind = self.typed(t, key, "string", "a string")
            if kind not in KINDS:
                self.fail(t.key_line(key), "kind", value=kind, kinds=", ".join(KINDS))
            st["badge"] = OBJ_TYPE[kind]
            if "bits" not in t.data:
                st["index"] = BITS.get(kind, (0,))[0]
        elif role == "obs":
            flag, field = OBS[key]
            st["check"].append(flag)
            st["want"][field] = self.integer(t, key, 0, 2**64 - 1)
        elif role == "obs_kind":
            kind = self.typed(t, key, "string", "a string")
            if kind not in OBJ_TYPE:
                self.fail(t.key_line(key), "identify-kind", value=kind, kinds=", ".join(OBJ_TYPE))
            st["check"].append("SCEN_CHECK_TYPE")
            st["want"]["want_type"] = OBJ_TYPE[kind]
        elif role == "obs_rights":
            st["check"].append("SCEN_CHECK_RIGHTS")
            st["want"]["want_rights"] = self.rights(t, key)
        elif role == "vectors":
            vs = self.typed(t, key, "list", "a list of vectors")
            mask = 0
            for v in vs:
                if not isinstance(v, int) or isinstance(v, bool) or not 0 <= v <= 63:
                    self.fail(t.key_line(key), "vector", value=repr(v))
                mask |= 1 << v
            st["check"].append("SCEN_CHECK_VALUE")
            st["want"]["want_value"] = mask

    @staticmethod
    def new_kind(t, sc, st):
        """The kind of the cap a step creates (for later map/identify of it)."""
        if st["op"] == "create_sender":
            return "uintr_sender"
        if st["op"] == "retype":
            return t.data.get("kind", "")
        if st["op"] in ("copy", "mint", "mutate", "move"):
            ref = t.data.get("cap")
            return sc["slots"][st["party"]].get(ref, (0, ""))[1]
        return ""


def check(path, loaded, errors):
    """The model of every scenario in the file."""
    c = Checker(path, errors)
    if not loaded:
        raise ScenarioError(path, 1, "no-scenarios")
    seen = {}
    return [c.scenario(t, parts, seen) for t, parts in loaded]
