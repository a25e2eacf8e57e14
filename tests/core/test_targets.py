"""Target files: sections read once into frozen dataclasses; a bad file is a clear TargetError."""

from __future__ import annotations

from dataclasses import FrozenInstanceError, dataclass, field
from pathlib import Path

import pytest

from harness.core.targets import PATH_OR_URL, TargetError, load_section, read_target_file


@dataclass(frozen=True, slots=True)
class Probe:
    url: str
    pointer: str = ""


@dataclass(frozen=True, slots=True)
class Widget:
    name: str
    size: int = 1
    ratio: float = 0.5
    enabled: bool = False
    tags: tuple[str, ...] = ()
    pair: tuple[str, str] | None = None
    probe: Probe | None = None
    probes: tuple[Probe, ...] = ()
    folder: Path = Path("state")
    document: str = field(default="", metadata=PATH_OR_URL)


def write(tmp_path: Path, text: str, name: str = "target.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_sections_are_read_with_their_common_settings(tmp_path: Path) -> None:
    path = write(
        tmp_path, '[target]\nname = "Vendor"\n[launch]\napp = "reference-sp"\n[widget]\nname = "w"\n'
    )
    file = read_target_file(path, known_sections=("widget",))
    assert (file.name, file.launch, file.source) == ("Vendor", "reference-sp", path.resolve())
    assert file.section("widget") == {"name": "w"} and file.section("other") is None


def test_the_name_defaults_to_the_file_name(tmp_path: Path) -> None:
    assert read_target_file(write(tmp_path, "", "my-sp.toml"), ()).name == "my-sp"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "[widgte]\nname = 'w'\n",
            r"section \[widgte\] is not known \(did you mean 'widget'\?\); valid sections",
        ),
        ("[target]\nnmae = 'x'\n", r"\[target\] setting 'nmae' is not known \(did you mean 'name'\?\)"),
        ("widget = 1\n", r"\[widget\] must be a table"),
        ("[target\n", "is not valid TOML"),
    ],
)
def test_bad_files_are_refused_naming_what_is_wrong(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(TargetError, match=message):
        read_target_file(write(tmp_path, text), ("widget",))


def test_a_missing_file_is_a_target_error(tmp_path: Path) -> None:
    with pytest.raises(TargetError, match="does not exist"):
        read_target_file(tmp_path / "nope.toml", ())


def test_a_section_converts_by_field_type_and_resolves_paths_against_the_file(tmp_path: Path) -> None:
    raw = {
        "name": "w",
        "size": 3,
        "ratio": 2,
        "enabled": True,
        "tags": ["a", "b"],
        "pair": ["x", "y"],
        "probe": {"url": "http://p"},
        "probes": [{"url": "http://a", "pointer": "/b"}],
        "folder": "keys/idp",
        "document": "meta.xml",
    }
    widget = load_section(Widget, raw, where="[widget]", folder=tmp_path)
    assert (
        widget.size == 3 and widget.ratio == 2.0 and widget.tags == ("a", "b") and widget.pair == ("x", "y")
    )
    assert widget.probe == Probe("http://p") and widget.probes == (Probe("http://a", "/b"),)
    assert widget.folder == tmp_path / "keys" / "idp"
    assert widget.document == str(tmp_path / "meta.xml")
    with pytest.raises(FrozenInstanceError):
        widget.name = "x"  # type: ignore[misc]


def test_urls_and_absolute_paths_are_left_as_they_are(tmp_path: Path) -> None:
    for value in ("https://sp.example/metadata", "{base_url}/metadata", "/etc/meta.xml"):
        widget = load_section(Widget, {"name": "w", "document": value}, where="[widget]", folder=tmp_path)
        assert widget.document == value


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"name": "w", "sise": 2}, r"\[widget\] setting 'sise' is not known \(did you mean 'size'\?\); valid "
         r"settings: document, enabled, folder, name, pair, probe, probes, ratio, size, tags"),
        ({}, r"\[widget\] is missing the required setting 'name'"),
        ({"name": "w", "size": "3"}, r"\[widget\] size must be a whole number, not '3'"),
        ({"name": "w", "enabled": 1}, r"\[widget\] enabled must be true or false"),
        ({"name": "w", "tags": "a"}, r"\[widget\] tags must be a list"),
        ({"name": "w", "pair": ["x"]}, r"\[widget\] pair must be a list of 2 values"),
        ({"name": "w", "probe": {"url": "u", "pointr": "/x"}}, r"probe setting .pointr. is not known"),
    ],
)  # fmt: skip
def test_a_bad_section_names_the_setting_and_the_valid_ones(raw: dict[str, object], message: str) -> None:
    with pytest.raises(TargetError, match=message):
        load_section(Widget, raw, where="[widget]", folder=Path("."))
