"""The workflow is data: loaded from YAML, validated, every mistake named."""

from __future__ import annotations

from pathlib import Path

import pytest

from teamline.domain.errors import InvalidInput
from teamline.routing import workflow as wf
from teamline.routing.workflow import (
    RingKind,
    default_workflow,
    load_workflow,
    workflow_from_mapping,
)

PACKAGED = Path(wf.__file__).parent / "workflows" / "default.yaml"


def test_the_packaged_yaml_is_the_default_workflow() -> None:
    assert load_workflow(PACKAGED) == default_workflow()


def test_overflow_later_than_half_the_service_level_threshold_is_refused() -> None:
    late = workflow_from_mapping(
        {"rings": [{"kind": "home_team"}, {"kind": "neighbours", "after_seconds": 30, "count": 1}]}
    )
    with pytest.raises(InvalidInput, match="collapses"):
        late.check_against(service_level_seconds=20)
    default_workflow().check_against(service_level_seconds=20)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"rings": []}, "rings"),
        ({"rings": [{"kind": "neighbours", "count": 1}]}, "rings"),
        ({"rings": [{"kind": "home_team"}, {"kind": "moon"}]}, "rings[1]"),
        ({"rings": [{"kind": "home_team", "colour": "red"}]}, "rings[0]"),
        ({"rings": [{"kind": "home_team"}], "offer_timeout": 3}, "offer_timeout"),
        (
            {"rings": [{"kind": "home_team"}], "offer_timeout_seconds": "soon"},
            "offer_timeout_seconds",
        ),
        ({"rings": [{"kind": "home_team"}], "offer_timeout_seconds": 0}, "offer_timeout_seconds"),
        ({"rings": [{"kind": "home_team", "after_seconds": 5}, {"kind": "national"}]}, "rings"),
        (
            {"rings": [{"kind": "home_team"}], "resume_lending_wait_seconds": 99},
            "resume_lending_wait_seconds",
        ),
        (
            {"rings": [{"kind": "home_team"}], "resume_lending_after_seconds": -1},
            "resume_lending_after_seconds",
        ),
        ([1, 2], "workflow"),
    ],
)
def test_each_mistake_names_its_field(data: object, field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        workflow_from_mapping(data)  # type: ignore[arg-type]
    assert caught.value.field == field


def test_an_unreadable_file_is_a_clear_error(tmp_path: Path) -> None:
    broken = tmp_path / "wf.yaml"
    broken.write_text("rings: [unclosed", encoding="utf-8")
    with pytest.raises(InvalidInput, match="cannot read"):
        load_workflow(broken)
    assert default_workflow().ring(RingKind.NEIGHBOURS) is not None
