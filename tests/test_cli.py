"""The seirei command as a user meets it: help, exit codes, reports."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import ROOT, run


def test_help_lists_every_command_and_option() -> None:
    top = run("--help")
    assert top.returncode == 0
    for word in ("build", "validate", "Exit status"):
        assert word in top.stdout
    build = run("build", "--help").stdout
    for option in ("--out", "--data", "--ontology", "--shapes", "--quiet"):
        assert option in build
    validate = run("validate", "--help").stdout
    for option in ("FILE", "--format", "--dist", "--violations-only", "--data"):
        assert option in validate


def test_serve_help_and_a_negative_cache() -> None:
    serve = run("serve", "--help").stdout
    for option in ("--site-port", "--endpoint", "--cache-mb", "--timeout", "--store"):
        assert option in serve
    done = run("serve", "--cache-mb", "-1", "--site-port", "0")
    assert done.returncode == 2 and done.stderr == "seirei: --cache-mb must be 0 or more, not -1\n"


def test_no_command_is_bad_usage() -> None:
    done = run()
    assert done.returncode == 2 and "usage: seirei" in done.stderr


def test_version() -> None:
    assert run("--version").stdout.startswith("seirei ")


def test_validate_built_graph_conforms_with_warnings(dist: Path) -> None:
    done = run("validate", "--dist", dist)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].split() == ["SEVERITY", "WHERE", "FOCUS", "PATH", "VALUE", "MESSAGE"]
    assert lines[-1].startswith("conforms: 0 violations, ")
    # warnings point the editor at the row that could take the missing value
    unit_warning = next(line for line in lines if "id:unit/sapporo-bureau-of-general-affairs" in line
                        and "No Japanese name yet" in line)
    assert unit_warning.startswith("Warning") and "data/units.csv:2:4 " in unit_warning  # the name_ja cell
    page_warning = next(line for line in lines if "id:unit/kobe-mayors-office" in line and "No page yet" in line)
    assert "data/units.csv:36:8 " in page_warning  # the page cell


def test_validate_json_report(dist: Path) -> None:
    done = run("validate", "--dist", dist, "--format", "json")
    report = json.loads(done.stdout)
    assert done.returncode == 0 and report["conforms"] is True and report["violations"] == 0
    assert report["warnings"] == len(report["results"]) > 0
    assert set(report["results"][0]) == {"severity", "message", "focus", "label", "path", "value", "location",
                                         "shape", "constraint"}


def test_validate_files_with_a_violation(tmp_path: Path, dist: Path) -> None:
    broken = tmp_path / "broken.ttl"
    text = (dist / "seirei.ttl").read_text(encoding="utf-8").replace('"041009"', '"041008"')
    broken.write_text(text, encoding="utf-8")
    done = run("validate", broken, "--format", "json")
    assert done.returncode == 1
    report = json.loads(done.stdout)
    (violation,) = [r for r in report["results"] if r["severity"] == "Violation"]
    assert violation["focus"] == "id:city/sendai" and violation["label"] == "Sendai City"
    assert violation["location"] == "data/cities.csv:3:4"
    assert violation["value"] == '"041008"'
    text_report = run("validate", broken, "--violations-only")
    assert text_report.returncode == 1
    assert [line.split()[0] for line in text_report.stdout.splitlines()] == ["SEVERITY", "Violation", "does"]


def test_validate_unreadable_input(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.ttl"
    garbage.write_text("<a> <b> .\n", encoding="utf-8")
    done = run("validate", garbage)
    assert done.returncode == 2
    assert done.stderr.startswith(f"seirei: {garbage}: cannot be read as RDF: ") and done.stderr.count("\n") == 1
    missing = run("validate", tmp_path / "missing.ttl")
    assert missing.returncode == 2 and missing.stderr == f"seirei: {tmp_path / 'missing.ttl'}: no such file\n"


def test_validate_without_a_build(tmp_path: Path) -> None:
    done = run("validate", "--dist", tmp_path / "dist")
    assert done.returncode == 2 and "run 'seirei build' first" in done.stderr


def test_build_prints_progress_and_refuses_bad_shapes_dir(tmp_path: Path) -> None:
    done = run("build", "--out", tmp_path / "dist", "--shapes", tmp_path / "none")
    assert done.returncode == 2
    assert done.stderr.splitlines()[-1] == f"seirei: {tmp_path / 'none'}: no shapes directory here"
    ok = run("build", "--out", tmp_path / "dist")
    assert ok.returncode == 0
    written = sum(1 for p in (tmp_path / "dist").rglob("*") if p.is_file())
    assert "reading tables" in ok.stderr and f"wrote {written} files" in ok.stderr
    assert (ROOT / "data").is_dir()
