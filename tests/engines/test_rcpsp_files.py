"""Readers of PSPLIB ``.sm`` and MPSPLIB XML files: what they build and what they refuse."""

from __future__ import annotations

from pathlib import Path

import pytest
from defusedxml import EntitiesForbidden

from epmo.engines.rcpsp import solve
from epmo.engines.rcpsp_files import FormatError, parse_sm, read_mpsplib, read_sm

SM = """\
************************************************************************
projects                      :  1
jobs (incl. supersource/sink ):  4
horizon                       :  9
************************************************************************
PRECEDENCE RELATIONS:
jobnr.    #modes  #successors   successors
   1        1          2           2   3
   2        1          1           4
   3        1          1           4
   4        1          0
************************************************************************
REQUESTS/DURATIONS:
jobnr. mode duration  R 1  R 2
------------------------------------------------------------------------
  1      1     0       0    0
  2      1     3       2    1
  3      1     2       2    {r2}
  4      1     0       0    0
************************************************************************
RESOURCEAVAILABILITIES:
  R 1  R 2
    3    2
************************************************************************
"""

XML = """<?xml version="1.0"?>
<!DOCTYPE mp-list SYSTEM "mp.dtd">
<mp-list><mp><name>tiny</name><project-list>
<project><filename>{a}</filename><start>0</start></project>
<project><filename>b.sm</filename><start>4</start></project>
</project-list><resources><resource>3</resource><resource>0</resource></resources></mp></mp-list>
"""


def test_sm_jobs_links_demands_and_capacities(tmp_path: Path) -> None:
    (tmp_path / "a.sm").write_text(SM.format(r2=1))
    problem = read_sm(tmp_path / "a.sm")
    assert problem.capacities == (3, 2) and problem.horizon == 9
    assert [(j.id, j.duration, j.demands, j.successors) for j in problem.jobs] == [
        (1, 0, (0, 0), (2, 3)), (2, 3, (2, 1), (4,)), (3, 2, (2, 1), (4,)), (4, 0, (0, 0), ())]
    assert solve(problem, 5).makespan == 5  # R1 (3) cannot run jobs 2 and 3 together


@pytest.mark.parametrize(("text", "message"), [
    (SM.replace("horizon ", "horizn "), "no 'horizon' line"),
    (SM.replace("   2        1          1", "   2        2          1"), "single-mode"),
    (SM.replace("RESOURCEAVAILABILITIES:", "RESOURCES:"), "no 'RESOURCEAVAILABILITIES:'"),
    (SM.replace("  3      1     2       2    {r2}\n", ""), "has 3 rows, expected 4"),
])
def test_sm_format_errors_say_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(FormatError, match=message):
        parse_sm(text.format(r2=1))


def test_mpsplib_global_then_local_resources(tmp_path: Path) -> None:
    (tmp_path / "a.sm").write_text(SM.format(r2=1))
    (tmp_path / "b.sm").write_text(SM.format(r2=2))
    (tmp_path / "mp.xml").write_text(XML.format(a="a.sm"))
    portfolio = read_mpsplib(tmp_path / "mp.xml")
    problem = portfolio.problem
    assert (portfolio.name, portfolio.files, portfolio.releases) == ("tiny", ("a.sm", "b.sm"),
                                                                     (0, 4))
    assert problem.capacities == (3, 2, 2)  # R1 shared; R2 local to each project
    second = [j for j in problem.jobs if j.project == 1]
    assert [j.id for j in second] == [2001, 2002, 2003, 2004]
    assert second[2].demands == (2, 0, 2) and second[0].successors == (2002, 2003)
    assert {j.release for j in second} == {4}


def test_mpsplib_refuses_a_project_file_outside_its_folder(tmp_path: Path) -> None:
    (tmp_path / "inner").mkdir()
    (tmp_path / "a.sm").write_text(SM.format(r2=1))
    (tmp_path / "inner" / "mp.xml").write_text(XML.format(a="../a.sm"))
    with pytest.raises(FormatError, match="outside the instance's folder"):
        read_mpsplib(tmp_path / "inner" / "mp.xml")


def test_mpsplib_refuses_entity_declarations(tmp_path: Path) -> None:
    hostile = XML.format(a="&x;").replace(
        '<!DOCTYPE mp-list SYSTEM "mp.dtd">',
        '<!DOCTYPE mp-list [<!ENTITY x SYSTEM "file:///etc/passwd">]>')
    (tmp_path / "mp.xml").write_text(hostile)
    with pytest.raises(EntitiesForbidden):
        read_mpsplib(tmp_path / "mp.xml")
