"""Comments in a Bruno JSON body are removed as Bruno removes them before sending: the
same text as the `decomment` package Bruno's CLI uses, run here with node."""

from __future__ import annotations

import json
import subprocess

from explorer.core.bruno.jsonc import strip_comments
from tests.support.peer_tools import NODE, ROOT, needs_bru, needs_node

SAMPLES = [
    '{\n    "a": "x // not", // Random\n    /* block */ "b": 1,\n    // whole line\n    "c": 2\n}',
    '{\n  "a": 1 /* inline */, "b": 2\n}',
    '{\n  /* a\n  multi-line */\n  "a": 1\n}',
    '// first\n{"a": "\\"//"}\n',
    '{"a": 1}\n// last',
    '{\n\t// tab\n\t"a": 1\n}',
    '{"u": "{{base}}/x"} // c',
    '{"a": "http://x/*y*/"}',
    '{"never": "closed // x\n}',
]
DECOMMENT = ROOT / ".tools" / "node_modules" / "decomment"


@needs_node
@needs_bru  # decomment comes with bru
def test_the_same_text_as_brunos_decomment() -> None:
    script = (
        f"const d = require({json.dumps(str(DECOMMENT))});"
        "const s = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
        "console.log(JSON.stringify(s.map(t => { try { return d(t) } catch (e) { return t } })))"
    )
    done = subprocess.run(
        [str(NODE), "-e", script], input=json.dumps(SAMPLES), capture_output=True, text=True
    )
    theirs = json.loads(done.stdout)
    ours = [strip_comments(sample) or sample for sample in SAMPLES]
    assert ours == theirs


def test_text_without_comments_is_left_alone() -> None:
    assert strip_comments('{"a": "//"}') is None
    assert strip_comments('{"a": 1}') is None
