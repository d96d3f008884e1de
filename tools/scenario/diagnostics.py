"""The scenario compiler's diagnostics: one catalog, `file:line: error: message`.

Every message the compiler can give is a template here, under a stable name;
docs/scenarios.md lists each template and tests/bad/ holds a file that
triggers each one (tests/test_scenc.py checks both).
"""

MESSAGES = {
    # Reading the file (source.py).
    "toml": "TOML: {detail}",
    "not-utf8": "the file is not UTF-8",
    "plain-table": "unexpected table [{name}] (only [[scenario]], [[scenario.object]], "
                   "[[scenario.cap]] and [[scenario.step]])",
    "top-key": "unknown key '{key}' at the top level (only [[scenario]] tables)",
    "not-array": "write each {what} as a [[{table}]] table",
    "other-table": "unexpected table [[{name}]]",
    "no-scenarios": "no scenarios (add a [[scenario]] table)",
    # Any table (check.py).
    "unknown-key": "unknown key '{key}' in {context}",
    "missing-key": "missing key '{key}' in {context}",
    "type": "'{key}' must be {what}",
    "name": "'{value}' is not a name (letters, digits and _)",
    "range": "'{key}' = {value} is out of range {lo}..{hi}",
    "rights-type": "'{key}' must be a list of rights",
    "right": "unknown right '{value}' (read, write, grant, grant_reply, execute or all)",
    # Scenarios.
    "id": "scenario id '{value}' is not of the form SCEN_NNNN",
    "duplicate-id": "duplicate scenario id '{value}' (first at line {first})",
    "control-text": "'control' must be a non-empty line without ';', '[', ']' or '\\'",
    "parties": "a scenario has 1 to {max} parties",
    "duplicate-party": "duplicate party '{value}'",
    "too-many-steps": "too many steps (at most {max})",
    # Objects.
    "duplicate-object": "duplicate object '{value}'",
    "too-many-objects": "too many objects (at most {max})",
    "kind": "unknown object kind '{value}' ({kinds})",
    "no-size": "an object of kind '{kind}' has no size ('bits')",
    # Caps.
    "party": "unknown party '{value}'",
    "object": "unknown object '{value}'",
    "object-or-from": "a cap needs either 'object' or 'from'",
    "untyped-shared": "untyped '{value}' is held by one cap only (Untyped caps cannot be copied)",
    "untyped-badge": "an untyped cap has no badge",
    "untyped-from": "'from' = '{value}' is an untyped cap (Untyped caps cannot be copied)",
    "vector-kind": "'vector' makes a sender: the object must be a uintr_receiver",
    "vector-from": "'vector' needs 'object' (a receiver)",
    "from": "'from' = '{value}' is not an earlier cap (party.name)",
    "duplicate-cap": "party '{party}' already has a cap named '{value}'",
    "too-many-caps": "too many caps in party '{party}' (at most {max})",
    # Steps.
    "op": "unknown operation '{value}'",
    "no-cap": "party '{party}' has no cap named '{value}'",
    "outcome": "unknown outcome '{value}' (allowed, fault, blocked or an error name of "
               "kernel/abi/selene/error.h)",
    "fault-op": "'fault' is an outcome of read and write only",
    "blocked-op": "'blocked' is an outcome of send, call, recv and wait only",
    "identify-kind": "unknown kind '{value}' ({kinds})",
    "vector": "vector {value} is out of range 0..63",
    "lease-needed": "'{key}' needs 'lease'",
}


class ScenarioError(Exception):
    """One diagnostic (the compiler stops at the first): file, line, catalog name, text."""

    def __init__(self, path, line, code, **fields):
        self.path, self.line, self.code = path, line, code
        self.fields = fields
        self.message = MESSAGES[code].format(**fields)
        super().__init__(f"{path}:{line}: error: {self.message}")

    def renamed(self, path):
        return ScenarioError(path, self.line, self.code, **self.fields)
