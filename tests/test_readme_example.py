"""The README's Python API example runs as written, from a checkout, on a fresh database."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_the_python_api_example_in_the_readme_runs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Python API", 1)[1]
    (code,) = re.findall(r"```python\n(.*?)```", section.split("\n## ", 1)[0], flags=re.S)
    (tmp_path / "data").mkdir()
    shutil.copy(ROOT / "data" / "plymouth.yaml", tmp_path / "data" / "plymouth.yaml")
    here = Path.cwd()
    os.chdir(tmp_path)
    try:
        exec(compile(code, "README.md", "exec"), {})
    finally:
        os.chdir(here)
    printed = capsys.readouterr().out.splitlines()
    assert printed and any("withdraw" in line for line in printed)
