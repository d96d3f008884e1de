"""Render: print service views through the jinja2 templates and write outputs.

The environment uses StrictUndefined, so a template that names a variable
the view does not provide fails (an internal error) instead of printing
nothing. Files are written only into the output directory, and only when
their text changed, so a regeneration with the same result does not make
the build recompile anything.
"""

import os

import jinja2

TEMPLATE_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                            "templates")

# What each --client/--server/--docs part produces: (template, file name pattern).
PARTS = {
    "types": [("c/types.h.j2", "{name}_types.h")],
    "client": [("c/client.h.j2", "{name}_client.h"), ("c/client.c.j2", "{name}_client.c")],
    "server": [("c/server.h.j2", "{name}_server.h"), ("c/server.c.j2", "{name}_server.c")],
    "docs": [("md/service.md.j2", "{name}.md")],
}
PART_ORDER = ("types", "client", "server", "docs")

_ENV = None


def environment():
    """The shared jinja2 environment (created once per process)."""
    global _ENV
    if _ENV is None:
        _ENV = jinja2.Environment(
            loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
            undefined=jinja2.StrictUndefined,
            autoescape=False,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
    return _ENV


def output_names(service_name, parts):
    """File names produced for a service and the selected parts."""
    return [pattern.format(name=service_name)
            for part in PART_ORDER if part in parts
            for _, pattern in PARTS[part]]


def render(view, parts):
    """{file name: text} for one service view."""
    env = environment()
    out = {}
    for part in PART_ORDER:
        if part not in parts:
            continue
        for template, pattern in PARTS[part]:
            text = env.get_template(template).render(**view)
            out[pattern.format(name=view["name"])] = text
    return out


def write_if_changed(path, text):
    """Write text to path unless it already holds exactly that."""
    data = text.encode("utf-8")
    try:
        with open(path, "rb") as handle:
            if handle.read() == data:
                return False
    except OSError:
        pass
    tmp = path + ".tmp"
    with open(tmp, "wb") as handle:
        handle.write(data)
    os.replace(tmp, path)
    return True


def depfile_text(target, deps):
    """A Makefile-syntax dependency file: target depends on deps."""
    def esc(p):
        return p.replace("\\", "/").replace(" ", "\\ ").replace("#", "\\#").replace("$", "$$")
    lines = ["%s: \\" % esc(target)]
    lines += ["  %s \\" % esc(d) for d in deps[:-1]]
    if deps:
        lines.append("  %s" % esc(deps[-1]))
    else:
        lines[0] = lines[0][:-2]
    return "\n".join(lines) + "\n"
