"""Other tools' tests and response references, as our assertions and captures, and back.

Each module translates one tool's way of checking a response or passing a value on:
Postman test scripts (`postman_tests`, and `postman_tests_export` for the way back),
Insomnia response tags (`insomnia_tags`), .http named-request references and JetBrains
response handlers (`http_references`). The importers and exporters in `core.formats`
call them; what cannot be translated is kept verbatim as a script that is never run
(`Scripts.kept_*`) and counted in the import report.

`javascript` holds the one JavaScript parser they share (tree-sitter), bounded.
"""

from __future__ import annotations

from dataclasses import dataclass

from explorer.core.model import Assertion, Capture


@dataclass(frozen=True)
class Translation:
    """What one script became: rows, the statements left as they were, and the counts.

    `kept` is the original script with every converted statement taken out (empty when
    nothing is left but comments); `total` counts the statements that check or capture
    something (declarations that only name the response body are not counted), and
    `converted` how many of them became rows.
    """

    assertions: tuple[Assertion, ...] = ()
    captures: tuple[Capture, ...] = ()
    kept: str = ""
    converted: int = 0
    total: int = 0

    @property
    def unconverted(self) -> int:
        return self.total - self.converted
