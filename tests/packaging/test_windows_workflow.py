"""The Windows workflow runs what scripts/build-windows runs, and actionlint accepts it.

scripts/build-windows names each step `step ID "…"` (a step the Windows runner has too) or
`wine_step ID "…"` (only under Wine); .github/workflows/windows.yml gives each of its `run`
steps an `id`. The ids of the two, in order, must be the same list.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "build-windows"
WORKFLOW = REPO / ".github" / "workflows" / "windows.yml"
STEP = re.compile(r'^(step|wine_step) ([a-z0-9-]+) "', re.MULTILINE)


def script_steps(text: str) -> list[tuple[str, str]]:
    return STEP.findall(text)


def workflow_steps(text: str) -> list[dict[str, object]]:
    document = yaml.safe_load(text)
    steps = document["jobs"]["installer"]["steps"]
    assert isinstance(steps, list)
    return steps


def drift(script: str, workflow: str) -> list[str]:
    """What differs between the script's shared steps and the workflow's; empty: none."""
    problems = []
    shared = [name for kind, name in script_steps(script) if kind == "step"]
    only_wine = {name for kind, name in script_steps(script) if kind == "wine_step"}
    steps = workflow_steps(workflow)
    ids = [str(s["id"]) for s in steps if "id" in s]
    for step in steps:
        if "run" in step and "id" not in step:
            problems.append(f"workflow step without an id: {step.get('name')}")
    if ids != shared:
        problems.append(f"order or names differ: script {shared} ≠ workflow {ids}")
    problems += [f"{name} is a wine_step but in the workflow" for name in only_wine & set(ids)]
    return problems


def test_the_workflow_has_the_scripts_steps_in_the_same_order() -> None:
    script = SCRIPT.read_text(encoding="utf-8")
    assert len(script_steps(script)) >= 15, "the step names were not found in the script"
    assert drift(script, WORKFLOW.read_text(encoding="utf-8")) == []


def test_a_drifted_workflow_is_found() -> None:
    script = SCRIPT.read_text(encoding="utf-8")
    workflow = WORKFLOW.read_text(encoding="utf-8")
    # A step the script gained, one the workflow lost, two swapped, a run step without an id.
    assert drift(script + '\nstep sbom "a new step"\n', workflow)
    assert drift(script, workflow.replace("        id: upgrade\n", ""))
    swapped = workflow.replace("id: install-old", "id: TMP")
    swapped = swapped.replace("id: user-data", "id: install-old").replace(
        "id: TMP", "id: user-data"
    )
    assert drift(script, swapped)
    assert drift(script.replace("wine_step fonts", "step fonts"), workflow)


def test_both_sign_with_the_same_settings() -> None:
    """The workflow's signing secrets and variables are the ones scripts/sign-windows reads."""
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    names = set(workflow["jobs"]["installer"]["env"]) - {"KPLAN_SIGN_PFX_BASE64"}
    signing = (REPO / "scripts" / "sign-windows").read_text(encoding="utf-8")
    assert names == {"KPLAN_SIGN_PASSWORD", "KPLAN_SIGN_TIMESTAMP_URL"}
    assert all(name in signing for name in names)


def actionlint() -> str | None:
    """actionlint beside the interpreter running the tests (the dev extra's wheel), else on PATH."""
    beside = Path(sys.executable).with_name("actionlint")
    return str(beside) if beside.exists() else shutil.which("actionlint")


@pytest.mark.skipif(
    actionlint() is None, reason="actionlint is not installed (pip install -e .[dev])"
)
def test_actionlint_accepts_the_workflow_and_refuses_a_broken_one(tmp_path: Path) -> None:
    tool = actionlint()
    assert tool is not None
    done = subprocess.run([tool, str(WORKFLOW)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout
    broken = tmp_path / "windows.yml"
    text = WORKFLOW.read_text(encoding="utf-8")
    broken.write_text(
        text.replace("steps.version.outputs.version }}", "steps.versoin.outputs.version }}", 1)
    )
    done = subprocess.run([tool, str(broken)], capture_output=True, text=True, check=False)
    assert done.returncode != 0 and "versoin" in done.stdout
