"""The W3C Nu HTML checker (npm `vnu-jar`, run with Java 17): installed by `npm ci` (as .ci/run
does) into node_modules/, or found at HEKA_VNU_JAR. Tests marked `vnu` are skipped without it on a
laptop and fail in CI (HEKA_TEST_STRICT=1), like the other real parts."""

import json
import os
import shutil
import subprocess
from pathlib import Path

from django.conf import settings

VNU_JAR = Path(
    os.environ.get("HEKA_VNU_JAR", Path(settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar")
)


def missing_reason() -> str | None:
    if not shutil.which("java"):
        return "needs Java 17 for the Nu HTML checker (apt-get install default-jre-headless)"
    if not VNU_JAR.is_file():
        return f"needs the Nu HTML checker at {VNU_JAR} (npm ci)"
    return None


def nu_errors(files: list[Path]) -> list[dict]:
    """Every error the checker finds in the files, in one run of Java."""
    java = shutil.which("java") or "java"
    result = subprocess.run(
        [java, "-Xss1024k", "-jar", str(VNU_JAR), "--format", "json", "--errors-only", "--exit-zero-always", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    return [message for message in json.loads(result.stderr or result.stdout)["messages"] if message["type"] == "error"]
