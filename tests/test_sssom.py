"""The SSSOM mapping table as SSSOM's own tool reads it: sssom-py (the mapping-commons reference
implementation, a test dependency) validates the built dist/mappings.sssom.tsv against the SSSOM
schema, its prefix map and its CURIEs, through its `sssom validate` command and its Python API."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sssom.parsers import parse_sssom_table
from sssom.validators import DEFAULT_VALIDATION_TYPES, validate

SSSOM = Path(sys.executable).with_name("sssom")
TABLE = "mappings.sssom.tsv"


def sssom_validate(path: Path) -> subprocess.CompletedProcess[str]:
    """`sssom validate` as a user runs it (its default checks: JSON schema, prefix map, CURIE format)."""
    assert SSSOM.exists(), f"sssom-py's command is not installed beside {sys.executable} (pip install -e '.[test]')"
    return subprocess.run([str(SSSOM), "validate", str(path)], capture_output=True, text=True, timeout=300)


def test_sssom_validate_finds_no_error(dist: Path) -> None:
    done = sssom_validate(dist / TABLE)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "ERROR" not in done.stderr, done.stderr[-3000:]


def test_sssom_py_reads_every_link_and_reports_nothing(dist: Path) -> None:
    msdf = parse_sssom_table(dist / TABLE)
    reports = validate(msdf, validation_types=DEFAULT_VALIDATION_TYPES, fail_on_error=False)
    assert {kind.value: [r.message for r in report.results] for kind, report in reports.items()} == {
        "JsonSchema": [], "PrefixMapCompleteness": [], "StrictCurieFormat": []}
    df = msdf.df
    assert len(df) == 65 + 20 + 47  # a Wikidata item per city and prefecture but Sagamihara and Sakai; e-Stat for all
    # every link was chosen by a person from cited sources; the code both sides carry is the check
    assert set(df["mapping_justification"]) == {"semapv:ManualMappingCuration"}
    assert df["comment"].str.len().min() > 0
    assert msdf.metadata["mapping_set_id"] == "https://w3id.org/seirei/dist/mappings.sssom.tsv"
    assert msdf.metadata["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert msdf.prefix_map["wd"] == "http://www.wikidata.org/entity/"


def test_sssom_validate_refuses_a_justification_outside_semapv(dist: Path, tmp_path: Path) -> None:
    """The check can fail: the justification the table once had is not a SEMAPV matching process."""
    text = (dist / TABLE).read_text(encoding="utf-8")
    bad = tmp_path / TABLE
    bad.write_text(text.replace("semapv:ManualMappingCuration", "semapv:DatabaseCrossReference"), encoding="utf-8")
    done = sssom_validate(bad)
    assert done.returncode != 0
    assert "264 validation errors" in done.stderr  # two per row of 132: SEMAPV's pattern and its enumeration
