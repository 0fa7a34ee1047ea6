"""docs/python.md runs as written: its ```python blocks, in order, in one namespace, from the
repository root."""

from __future__ import annotations

import re

from conftest import SOURCE_DIR

BLOCK = re.compile(r"^```python\n(.*?)^```", re.DOTALL | re.MULTILINE)


def test_every_python_block_of_docs_python_md_runs(monkeypatch, capsys):
    text = (SOURCE_DIR / "docs" / "python.md").read_text()
    blocks = BLOCK.findall(text)
    assert len(blocks) >= 8
    monkeypatch.chdir(SOURCE_DIR)
    namespace: dict = {"__name__": "docs_python"}
    for number, block in enumerate(blocks, 1):
        try:
            exec(compile(block, f"docs/python.md block {number}", "exec"), namespace)
        except Exception as error:  # name the block that failed
            raise AssertionError(f"docs/python.md block {number} failed: {error!r}\n{block}") from error
    assert "extra milk on day 3" in capsys.readouterr().out
