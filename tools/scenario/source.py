"""Reading a scenario file: TOML through tomllib, plus the line of every table and key.

tomllib gives no positions, so this module pairs the parsed tables with the
`[[scenario]]`, `[[scenario.object]]`, `[[scenario.cap]]` and `[[scenario.step]]`
headers found in the text, in order, and finds each key's line inside its
table's block. Diagnostics are ScenarioError (diagnostics.py).
"""
import re
import tomllib

from diagnostics import ScenarioError

HEADER_RE = re.compile(r"^\s*\[\[\s*([A-Za-z0-9_.]+)\s*\]\]")
TABLE_RE = re.compile(r"^\s*\[\s*([A-Za-z0-9_.\"]+)\s*\]")
TOML_POS_RE = re.compile(r"^(.*) \(at line (\d+), column \d+\)$")


class Table:
    """A parsed table with its header line and the line of each of its keys."""

    def __init__(self, data, line, key_lines):
        self.data, self.line, self.key_lines = data, line, key_lines

    def key_line(self, key):
        return self.key_lines.get(key, self.line)


def _key_lines(lines, start, end):
    """{key: line} for `key = ...` lines in [start, end) (1-based lines)."""
    found = {}
    for n in range(start, end):
        m = re.match(r"^\s*([A-Za-z0-9_]+)\s*=", lines[n - 1])
        if m and m.group(1) not in found:
            found[m.group(1)] = n
    return found


def load(path):
    """Returns (scenarios, top) where scenarios is a list of
    (Table, {"object": [Table], "cap": [Table], "step": [Table]})."""
    with open(path, "rb") as f:
        raw = f.read()
    try:
        text = raw.decode("utf-8")
        doc = tomllib.loads(text)
    except UnicodeDecodeError as e:
        raise ScenarioError(path, raw[:e.start].count(b"\n") + 1, "not-utf8")
    except tomllib.TOMLDecodeError as e:
        m = TOML_POS_RE.match(str(e))
        line = int(m.group(2)) if m else 1
        raise ScenarioError(path, line, "toml", detail=m.group(1) if m else str(e))
    lines = text.split("\n")
    headers = []  # (name, line)
    for n, l in enumerate(lines, 1):
        m = HEADER_RE.match(l)
        if m:
            headers.append((m.group(1), n))
            continue
        m = TABLE_RE.match(l)
        if m:
            raise ScenarioError(path, n, "plain-table", name=m.group(1))
    for key in doc:
        if key != "scenario":
            raise ScenarioError(path, _key_lines(lines, 1, len(lines) + 1).get(key, 1),
                                "top-key", key=key)
    bounds = [n for _, n in headers] + [len(lines) + 1]

    def table(i, data):
        start = headers[i][1]
        return Table(data, start, _key_lines(lines, start + 1, bounds[i + 1]))

    scen_data = doc.get("scenario", [])
    if not isinstance(scen_data, list):
        raise ScenarioError(path, 1, "not-array", what="scenario", table="scenario")
    scen_idx = [i for i, (name, _) in enumerate(headers) if name == "scenario"]
    result = []
    for s, data in enumerate(scen_data):
        if s >= len(scen_idx):
            raise ScenarioError(path, 1, "not-array", what="scenario", table="scenario")
        i = scen_idx[s]
        nxt = scen_idx[s + 1] if s + 1 < len(scen_idx) else len(headers)
        parts = {}
        for sub in ("object", "cap", "step"):
            idx = [j for j in range(i + 1, nxt) if headers[j][0] == "scenario." + sub]
            items = data.get(sub, [])
            if not isinstance(items, list) or len(items) != len(idx):
                line = table(i, data).key_line(sub)
                raise ScenarioError(path, line, "not-array", what=sub, table="scenario." + sub)
            parts[sub] = [table(j, item) for j, item in zip(idx, items)]
        for j in range(i + 1, nxt):
            if headers[j][0] not in ("scenario.object", "scenario.cap", "scenario.step"):
                raise ScenarioError(path, headers[j][1], "other-table",
                                    name=headers[j][0])
        result.append((table(i, data), parts))
    return result
