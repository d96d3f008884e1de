"""Service: the view of one service that the C and Markdown templates print.

Names (names.py) spell every C declaration; codec.py turns the layout of
each message into encoder and decoder steps; this module gathers them, per
type, method and event, into the dict the templates in templates/c/ and
templates/md/ print. Layouts come from `layout.at()`, computed once per
version and shared with check.py.
"""

from . import ast, codec, layout
from .names import (INDENT, call_args, comment_lines, comment_text, handler_args, header_decls,
                    join_params, md_cell, member_decls, out_call_args, param_decls, proto,
                    type_text, upper)
from .version import HEAD, present


class ServiceView:
    """Builds the template view of one service at one version."""

    def __init__(self, svc, program, version, source_name):
        self.svc = svc
        self.program = program
        self.version = version
        self.source_name = source_name
        self.lay = layout.at(program, version)
        self.upper = upper(svc.name)

    def present(self, items):
        """Items present at the selected version."""
        return [x for x in items if present(x, self.version)]

    # Types.

    def enum_view(self, decl):
        """View of an enum declaration."""
        prim = decl.underlying.resolved
        members = []
        for m in self.present(decl.members):
            members.append({"doc": comment_lines(m.doc),
                            "macro": "%s_%s" % (upper(decl.name), upper(m.name)),
                            "value": m.value, "name": m.name, "doc_text": m.doc or ""})
        return {"kind": "enum", "name": decl.name, "guard": "IDLC_TYPE_" + upper(decl.name),
                "doc": comment_lines(decl.doc), "members": members, "wire": prim.name,
                "is_error": decl.is_error, "doc_text": decl.doc or "",
                "wire_values": [m["value"] for m in members]}

    def struct_view(self, decl):
        """View of a struct declaration."""
        s = self.lay.struct(decl)
        fields = []
        for f, off in s.fields:
            t = f.type.resolved
            decls = member_decls(f, "out_copy")
            if isinstance(t, ast.BytesType):
                decls = ["uint8_t %s[%d]" % (f.name, t.bound), "uint32_t %s_len" % f.name]
            fields.append({"doc": comment_lines(f.doc), "decls": decls, "name": f.name,
                           "type": type_text(t), "offset": off, "doc_text": f.doc or ""})
        return {"kind": "struct", "name": decl.name, "guard": "IDLC_TYPE_" + upper(decl.name),
                "doc": comment_lines(decl.doc), "fields": fields, "size": s.size, "align": s.align,
                "doc_text": decl.doc or ""}

    # Methods and events.

    def method_view(self, m):
        """View of one method: prototypes and codec bodies for both sides."""
        name = "%s_%s" % (self.svc.name, m.name)
        params = self.present(m.params)
        results = self.present(m.results or [])
        req, rep = self.lay.method(m)
        conn = ["struct sel_idl_conn *conn"]
        in_decls = [d for p in params for d in param_decls(p, "in")]
        out_decls = [d for p in results for d in param_decls(p, "out")]
        handler_in = [d for p in params for d in param_decls(p, "handler_in")]
        error_enum = m.error.resolved.decl if m.error is not None else None
        async_args = ", ".join(["conn"] + [a for p in params for a in call_args(p)])
        finish_args = ", ".join([a for p in results for a in out_call_args(p)])
        view = {
            "name": m.name, "cname": name, "ordinal": m.ordinal, "oneway": m.oneway,
            "oneway_c": "true" if m.oneway else "false",
            "macro": "%s_METHOD_%s" % (self.upper, upper(m.name)),
            "doc": comment_lines(m.doc), "doc_text": m.doc or "", "avail": m.avail,
            "call_params": join_params(conn + in_decls + out_decls),
            "call_proto": proto("int " + name, conn + in_decls + out_decls),
            "async_proto": proto("struct sel_idl_future *%s_async" % name, conn + in_decls),
            "finish_proto": proto("int %s_finish" % name,
                                  ["struct sel_idl_future *future"] + out_decls),
            "impl_proto": proto("int %s_impl_%s" % (self.svc.name, m.name),
                                ["void *ctx", "uint64_t badge"] + handler_in + out_decls),
            "encode_proto": proto("static int %s_encode_request" % name,
                                  ["struct sel_idl_msg *idl_m"] + in_decls),
            "encode_args": ", ".join(["idl_m"] + [a for p in params for a in call_args(p)]),
            "async_args": async_args, "finish_args": finish_args,
            "error_enum": error_enum.name if error_enum else None,
            "valid_error": ("%s_is_valid" % error_enum.name) if error_enum else "NULL",
            "params": [self.param_doc(p) for p in params],
            "results": [self.param_doc(p) for p in results],
            "request_bytes": req.max_bytes,
            "reply_bytes": rep.max_bytes if rep else 0,
            "reply_caps": len(rep.caps) if rep else 0,
            "request": codec.encoder(req, params, "args"),
            "in_members": [d for p in params for d in member_decls(p, "in")],
            "shape": {"kind": "ONEWAY" if m.oneway else "REQUEST", "fixed": req.fixed_bytes,
                      "caps": len(req.caps), "leases": len(req.leases)},
            "handler_args": ", ".join(
                ["ctx", "badge"] + [a for p in params for a in handler_args(p, "idl_in", False)]
                + [a for p in results for a in handler_args(p, "idl_out", True)]),
            "out_members": [], "reserved": [], "client_decoder": None, "words": None,
        }
        dec = codec.decoder("static int %s_decode_request" % name, req, params, "in",
                           "struct %s_in" % name)
        view["request_decoder"] = dec
        if rep is None:
            return view
        view["out_members"] = [d for p in results for d in member_decls(p, "out")]
        view["reply"] = codec.encoder(rep, results, "out")
        view["reply_encode_proto"] = proto(
            "static int %s_encode_reply" % name, ["struct sel_idl_msg *idl_m"] + (
                ["const struct %s_out *idl_out" % name] if view["out_members"] else []))
        dec = codec.decoder("static int %s_decode_reply" % name, rep, results, "outptr", None,
                           out_decls)
        view["client_decoder"] = dec
        view["reply_shape"] = {"kind": "REPLY", "fixed": rep.fixed_bytes, "caps": len(rep.caps),
                               "leases": 0}
        view["reserved"] = [{"name": p.name, "pos": pos, "bound": p.type.resolved.bound}
                            for p, pos in rep.reserved]
        if words_sized(req) and words_sized(rep):
            view["words"] = {
                "request_words": 1 + req.fixed_bytes // 8,
                "reply_fixed": rep.fixed_bytes,
                "put": codec.encoder(req, params, "args")["steps"],
                "decode_request": codec.decoder("", req, params, "in", "struct %s_in" % name),
                "reply": codec.encoder(rep, results, "out")["steps"],
                "reply_words": 1 + rep.fixed_bytes // 8,
                "decode_reply": codec.decoder("", rep, results, "outptr", None, out_decls),
                "inline_call_proto": proto("static inline int " + name,
                                           conn + in_decls + out_decls),
                "call_proto": proto("static inline __attribute__((always_inline)) int "
                                    "%s_call_words" % name, conn + in_decls + out_decls),
                "slow_proto": proto("int %s_call_slow" % name, conn + in_decls + out_decls),
                "other_proto": proto(
                    "int %s_reply_other" % name,
                    ["int idl_rc", "uint32_t idl_n"] + ["uint64_t idl_w%d" % i for i in range(5)]),
                "call_args": ", ".join([async_args] + ([finish_args] if finish_args else [])),
                "encode_proto": proto("static inline int %s_encode_request_words" % name,
                                      ["uint64_t *idl_w"] + in_decls),
                "encode_args": ", ".join(["idl_w"] + [a for p in params for a in call_args(p)]),
                "take_proto": proto("static inline int %s_take_reply_words" % name,
                                    ["const uint64_t *idl_w", "uint32_t idl_n"] + out_decls),
                "take_args": ", ".join(["idl_w", "idl_n"] + ([finish_args] if finish_args
                                                               else [])),
                "decode_reply_proto": proto("static inline int %s_decode_reply_words" % name,
                                            ["const uint64_t *idl_w"] + out_decls),
                "decode_request_proto": proto(
                    "static inline int %s_decode_request_words" % name,
                    ["const uint64_t *idl_w"] + (["struct %s_in *idl_in" % name]
                                                 if view["in_members"] else [])),
                "encode_reply_proto": proto(
                    "static inline int %s_encode_reply_words" % name,
                    ["uint64_t *idl_w"] + (["const struct %s_out *idl_out" % name]
                                           if view["out_members"] else [])),
            }
        return view

    def event_view(self, e):
        """View of one event."""
        name = "%s_%s" % (self.svc.name, e.name)
        params = self.present(e.params)
        msg = self.lay.event(e)
        in_decls = [d for p in params for d in param_decls(p, "in")]
        handler_in = [d for p in params for d in param_decls(p, "handler_in")]
        view = {
            "name": e.name, "cname": name, "ordinal": e.ordinal,
            "macro": "%s_EVENT_%s" % (self.upper, upper(e.name)),
            "doc": comment_lines(e.doc), "doc_text": e.doc or "", "avail": e.avail,
            "emit_proto": proto("int %s_emit_%s" % (self.svc.name, e.name),
                                ["struct sel_idl_event_sink *sink"] + in_decls),
            "encode_proto": proto("static int %s_encode_event" % name,
                                  ["struct sel_idl_msg *idl_m"] + in_decls),
            "encode_args": ", ".join(["idl_m"] + [a for p in params for a in call_args(p)]),
            "callback_member": proto("void (*%s)" % e.name, ["void *ctx"] + handler_in,
                                     width=92).replace("\n" + INDENT, "\n" + INDENT * 2),
            "callback_args": ", ".join(["ctx"] + [a for p in params
                                                  for a in handler_args(p, "idl_ev", False)]),
            "encoder": codec.encoder(msg, params, "args"),
            "decoder": codec.decoder("static int %s_decode_event" % name, msg, params, "ev",
                                    "struct %s_event" % name),
            "members": [d for p in params for d in member_decls(p, "in")],
            "shape": {"kind": "EVENT", "fixed": msg.fixed_bytes, "caps": len(msg.caps),
                      "leases": 0},
            "params": [self.param_doc(p) for p in params],
            "bytes": msg.max_bytes,
        }
        return view

    def param_doc(self, p):
        """A parameter as documented in Markdown."""
        return {"name": p.name, "type": type_text(p.type.resolved), "doc_text": p.doc or "",
                "avail": p.avail}

    # The whole service.

    def build(self):
        """The complete view dict."""
        svc = self.svc
        types = []
        for decl in header_decls(svc, self.version):
            types.append(self.enum_view(decl) if isinstance(decl, ast.Enum)
                         else self.struct_view(decl))
        methods = [self.method_view(m) for m in sorted(self.present(svc.methods),
                                                       key=lambda m: m.ordinal)]
        events = [self.event_view(e) for e in sorted(self.present(svc.events),
                                                     key=lambda e: e.ordinal)]
        base = svc.name
        version = "HEAD" if self.version >= HEAD else str(self.version)
        view = {
            "source": self.source_name,
            "source_c": comment_text(self.source_name),
            "md_header": "<!-- Generated by idlc from %s. Edit the .idl, not this file. -->"
                         % self.source_name.replace("--", "- -"),
            "name": base, "upper": self.upper, "doc": comment_lines(svc.doc),
            "doc_text": svc.doc or "", "policy": svc.policy,
            "strict": svc.policy == "strict",
            "version": version,
            "version_value": "0xffffffffu" if self.version >= HEAD else "%du" % self.version,
            "types_h": "%s_types.h" % base, "client_h": "%s_client.h" % base,
            "server_h": "%s_server.h" % base,
            "guard": "IDLC_%s" % self.upper,
            "types": types, "methods": methods, "events": events,
            "max_request": max([m["request_bytes"] for m in methods] + [layout.HEADER_BYTES]),
            "max_reply": max([m["reply_bytes"] for m in methods] + [layout.HEADER_BYTES]),
            "max_event": max([e["bytes"] for e in events] + [layout.HEADER_BYTES]),
            "max_message": layout.MAX_MESSAGE_BYTES,
            "wire_version": layout.WIRE_VERSION,
            "unknown_hook": "%s_impl_unknown_method" % base,
        }
        add_markdown(view)
        return view


def words_sized(msg):
    """True if a message holds only scalars and fits in the registers of a Call
    (SEL_IDL_WORDS_MAX words, header included): the register path can carry it."""
    return (all(op.op == "scalar" for op in msg.program) and not msg.caps and not msg.leases
            and not msg.reserved and layout.HEADER_BYTES + msg.fixed_bytes <= WORDS_MAX * 8)


# Words of a message on the register path (sel/idl_runtime.h: SEL_IDL_WORDS_MAX).
WORDS_MAX = 5


def add_markdown(view):
    """Doc text folded into Markdown table cells (the Markdown template prints them)."""
    for m in view["methods"]:
        for p in m["params"] + m["results"]:
            p["doc_md"] = md_cell(p["doc_text"])
    for e in view["events"]:
        for p in e["params"]:
            p["doc_md"] = md_cell(p["doc_text"])
    for t in view["types"]:
        for item in t["members"] if t["kind"] == "enum" else t["fields"]:
            item["doc_md"] = md_cell(item["doc_text"])


def service_view(svc, program, version, source_name):
    """The template view of `svc` at `version` (check.check_c_names() has passed)."""
    return ServiceView(svc, program, version, source_name).build()


__all__ = ["service_view"]
