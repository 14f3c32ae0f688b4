"""The screen file's accessibility report (render/conformance.py) as JSON,
recorded on the screen file's manifest entry. A failed item is an error of
the edition: a screen PDF that fails its own report does not leave."""

from __future__ import annotations

import json

from .kind import OutputKind


def make(job, laid, made: dict, report) -> bytes | None:
    import io

    import pikepdf

    from ..render.conformance import accessibility_report

    with pikepdf.open(io.BytesIO(made["screen"])) as pdf:
        result = accessibility_report(pdf)
    for finding in result.failed:
        report.error(job.edition.source, 1, f"screen PDF ({job.layout.name} layout) fails {finding.standard} "
                                            f"{finding.clause}, {finding.requirement}: {finding.problems[0]}")
    return (json.dumps(result.as_dict(), indent=1, ensure_ascii=False) + "\n").encode()


ACCESSIBILITY = OutputKind("accessibility", "reports", ".accessibility.json",
                           "PDF/UA-1 and HHS checklist items, pass/fail", make, needs=("screen",),
                           selectable=False, attached_to="screen", attach_as="accessibility")
