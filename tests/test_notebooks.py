"""The notebooks of notebooks/ run top to bottom, are saved without outputs, and use only the
package's public API.

Each notebook is executed with nbclient in a kernel of *this* interpreter (the project's virtual
environment, where ipykernel is installed by the `dev` extra). The kernel is described by a
kernelspec written into a temporary folder and handed to nbclient through its own
KernelSpecManager: the name `python3` could resolve to a user-level or system kernelspec of
another Python without the project installed, and installing one with
`python -m ipykernel install --user` would change the machine. A cell that raises fails the test
(nbclient's CellExecutionError, with the cell and the traceback).

04-saudinewsnet reads the SaudiNewsNet corpus beside the project (`../shared`); it runs on two of
its daily zips (KG_NOTEBOOK_ZIPS=2) when the corpus is present, and always once with the corpus
pointed at an empty folder, where it must stop cleanly.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
NOTEBOOK_FILES = sorted(NOTEBOOKS.glob("*.ipynb"))
CORPUS = ROOT.parent / "shared" / "corpus" / "saudinewsnet"
KERNEL = "dipkg-tests"
CELL_TIMEOUT = 300
SKIP_MESSAGE = "this case study needs it"


@pytest.fixture(scope="session")
def kernel_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A folder with one kernelspec that starts ipykernel with this interpreter. The kernels'
    connection files, IPython profile and temporary files go to temporary folders too: the tests
    neither write to nor depend on the user's Jupyter and IPython set-up (startup scripts, a
    read-only home)."""
    folder = tmp_path_factory.mktemp("kernels")
    spec = folder / KERNEL
    spec.mkdir()
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    kernel = {"argv": argv, "display_name": "dipkg (tests)", "language": "python"}
    (spec / "kernel.json").write_text(json.dumps(kernel), encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path_factory.mktemp("jupyter-runtime")))
        patch.setenv("IPYTHONDIR", str(tmp_path_factory.mktemp("ipython")))
        # the notebooks' temporary stores, in pytest's folder whatever the kernel leaves
        patch.setenv("TMPDIR", str(tmp_path_factory.mktemp("kernel-tmp")))
        yield folder


def execute(path: Path, kernel_dir: Path, cwd: Path) -> Any:
    """Run every cell of the notebook at `path` in a fresh kernel started in `cwd`; return the
    executed notebook (the file is not changed)."""
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import AsyncKernelManager

    notebook = nbformat.read(path, as_version=4)
    specs = KernelSpecManager(kernel_dirs=[str(kernel_dir)])
    manager = AsyncKernelManager(kernel_name=KERNEL, kernel_spec_manager=specs)
    client = nbclient.NotebookClient(
        notebook,
        km=manager,
        kernel_name=KERNEL,
        timeout=CELL_TIMEOUT,
        resources={"metadata": {"path": str(cwd)}},
    )
    client.execute(cleanup_kc=True)  # shut the kernel down: nbclient does not, given a km
    return notebook


def outputs_text(notebook: Any) -> str:
    """The text of every output (streams, results, errors) of the executed notebook."""
    parts: list[str] = []
    for cell in notebook.cells:
        for output in cell.get("outputs", ()):
            if output.get("output_type") == "stream":
                parts.append(output.get("text", ""))
            elif "data" in output:
                parts.append(str(output["data"].get("text/plain", "")))
            elif output.get("output_type") == "error":
                parts.append("\n".join(output.get("traceback", ())))
    return "\n".join(parts)


def outputs_of_type(notebook: Any, mime: str) -> list[str]:
    return [
        str(output["data"][mime])
        for cell in notebook.cells
        for output in cell.get("outputs", ())
        if mime in output.get("data", {})
    ]


def test_the_kernel_is_this_interpreter(kernel_dir: Path, tmp_path: Path) -> None:
    """The notebooks run in the project's environment, whatever `python3` kernels exist."""
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell("import sys, kg; print(sys.executable)")]
    path = tmp_path / "which.ipynb"
    nbformat.write(notebook, path)
    assert outputs_text(execute(path, kernel_dir, tmp_path)).strip() == sys.executable


def test_there_are_four_notebooks() -> None:
    assert [p.name for p in NOTEBOOK_FILES] == [
        "01-quickstart.ipynb",
        "02-sparql-analytics.ipynb",
        "03-network-analysis.ipynb",
        "04-saudinewsnet.ipynb",
    ]


@pytest.mark.parametrize("path", NOTEBOOK_FILES, ids=lambda p: p.stem)
def test_saved_without_outputs(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    assert notebook.nbformat == 4
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name}: a cell was saved with outputs"
            assert cell.execution_count is None, f"{path.name}: a cell was saved executed"
    assert "widgets" not in notebook.metadata


@pytest.mark.parametrize("path", NOTEBOOK_FILES, ids=lambda p: p.stem)
def test_public_api_only(path: Path) -> None:
    """Notebooks use kg.analysis (as `ka`) and names that modules of kg export: every `ka.NAME`
    is in kg.analysis.__all__, and every name imported from kg is public and exists."""
    import importlib

    from kg import analysis

    notebook = nbformat.read(path, as_version=4)
    source = "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "code")
    assert "from kg import analysis as ka" in source
    used = set(re.findall(r"\bka\.(\w+)", source))
    assert used <= set(analysis.__all__), used - set(analysis.__all__)
    for module, names in re.findall(r"^from (kg[\w.]*) import ([\w, ]+)$", source, re.M):
        imported = importlib.import_module(module)
        for name in (n.split(" as ")[0].strip() for n in names.split(",")):
            assert not name.startswith("_"), f"{path.name} imports {module}.{name}"
            assert hasattr(imported, name), f"{path.name}: {module} has no {name}"
    assert not re.search(r"\bkg(?:\.\w+)*\._\w", source)


@pytest.mark.parametrize("path", NOTEBOOK_FILES, ids=lambda p: p.stem)
def test_plots_are_titled_and_labelled(path: Path) -> None:
    """Every plot call names its title, and axes get labels (the helpers require them)."""
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        source = cell.source
        if "plot_ranking(" in source or "plot_over_time(" in source:
            assert "title=" in source, source
        if "plt.subplots(" in source or ".plot(" in source:
            assert "set_title(" in source or "title=" in source, source
            assert "set_xlabel(" in source or "xlabel=" in source, source
            assert "set_ylabel(" in source or "ylabel=" in source, source


@pytest.mark.parametrize("name", ["01-quickstart", "02-sparql-analytics", "03-network-analysis"])
def test_notebook_runs(
    name: str, kernel_dir: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("KG_NOTEBOOK_STORE", raising=False)
    notebook = execute(NOTEBOOKS / f"{name}.ipynb", kernel_dir, NOTEBOOKS)
    text = outputs_text(notebook)
    assert "Traceback" not in text
    assert "14 articles" in text  # the examples were ingested
    pages = outputs_of_type(notebook, "text/html")
    if name != "02-sparql-analytics":
        assert any("<iframe srcdoc=" in page for page in pages), "no inline graph"
    if name != "01-quickstart":
        assert outputs_of_type(notebook, "image/png"), "no plot"


def test_quickstart_runs_from_the_repository_root(
    kernel_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Runners that start the kernel in the repository root find the examples too."""
    notebook = execute(NOTEBOOKS / "01-quickstart.ipynb", kernel_dir, ROOT)
    assert f"project: {ROOT}" in outputs_text(notebook)


def test_case_study_stops_cleanly_without_the_corpus(
    kernel_dir: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("KG_SAUDINEWSNET_DIR", str(tmp_path / "nowhere"))
    notebook = execute(NOTEBOOKS / "04-saudinewsnet.ipynb", kernel_dir, NOTEBOOKS)
    text = outputs_text(notebook)
    assert SKIP_MESSAGE in text
    assert "Traceback" not in text
    assert not outputs_of_type(notebook, "image/png")
    assert not outputs_of_type(notebook, "text/html")


@pytest.mark.shared
def test_case_study_on_the_corpus(kernel_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if not any(CORPUS.glob("*.zip")):
        pytest.skip("the SaudiNewsNet corpus is not beside the project (../shared/corpus)")
    monkeypatch.delenv("KG_SAUDINEWSNET_DIR", raising=False)
    monkeypatch.setenv("KG_NOTEBOOK_ZIPS", "2")
    notebook = execute(NOTEBOOKS / "04-saudinewsnet.ipynb", kernel_dir, NOTEBOOKS)
    text = outputs_text(notebook)
    assert SKIP_MESSAGE not in text
    assert "2015-07-21" in text  # the first zip of the period is read
    assert len(outputs_of_type(notebook, "image/png")) >= 4
    assert any("<iframe srcdoc=" in page for page in outputs_of_type(notebook, "text/html"))
