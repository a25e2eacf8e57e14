"""Target files: the TOML file that describes a system under test, read once into frozen dataclasses.

A target file is a set of sections, each owned and validated by its suite (``[sp]`` and ``[idp]``
by the SP suite, ``[producer]`` and ``[platform]`` by the producer suite) plus two common ones:
``[target]`` (its ``name``) and ``[launch]`` (``app``: a reference app the harness starts itself).
A suite declares a section as a frozen dataclass and reads it with :func:`load_section`, which
converts values by the dataclass's field types, resolves every relative path against the target
file's folder, and refuses an unknown or misspelt key by naming it and the valid ones. A bad file
is a :class:`TargetError` (exit status 2) before any scenario runs.
"""

from __future__ import annotations

import dataclasses
import difflib
import tomllib
import types
import typing
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

__all__ = ["PATH_OR_URL", "TargetError", "TargetFile", "load_section", "read_target_file"]

T = TypeVar("T")
# Field metadata for a string that is a file (relative to the target file) unless it is an http(s)
# URL, e.g. the SP's metadata. A field typed ``Path`` is always a file, resolved the same way.
PATH_OR_URL: Mapping[str, str] = types.MappingProxyType({"target_path": "path_or_url"})
_COMMON = {"target": ("name",), "launch": ("app",)}


class TargetError(ValueError):
    """The target file is missing, unreadable or inconsistent."""


@dataclass(frozen=True, slots=True)
class TargetFile:
    """A target file read and checked for its sections; each suite then loads the sections it owns."""

    name: str
    source: Path  # absolute
    launch: str  # "" or the reference app the harness starts ("reference-sp", "reference-producer")
    sections: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    @property
    def folder(self) -> Path:
        return self.source.parent

    def section(self, name: str) -> Mapping[str, Any] | None:
        return self.sections.get(name)


def read_target_file(path: Path, known_sections: Collection[str]) -> TargetFile:
    """Read ``path``; every top-level section must be common or one of ``known_sections``."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise TargetError(f"target file {path} does not exist") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise TargetError(f"target file {path} cannot be read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise TargetError(f"target file {path} is not valid TOML: {exc}") from None
    valid = sorted({*_COMMON, *known_sections})
    for name, value in raw.items():
        if name not in valid:
            raise TargetError(_unknown(f"{path.name}: section [{name}]", name, valid, "sections"))
        if not isinstance(value, dict):
            raise TargetError(f"{path.name}: [{name}] must be a table (a [section]), not a single value")
    for name, keys in _COMMON.items():
        for key in raw.get(name, {}):
            if key not in keys:
                raise TargetError(_unknown(f"{path.name}: [{name}] setting {key!r}", key, keys, "settings"))
    return TargetFile(
        name=str(raw.get("target", {}).get("name", path.stem)),
        source=path.resolve(),
        launch=str(raw.get("launch", {}).get("app", "")),
        sections=types.MappingProxyType({k: v for k, v in raw.items() if k not in _COMMON}),
    )


def load_section(cls: type[T], raw: Mapping[str, Any] | None, *, where: str, folder: Path) -> T:
    """``raw`` (a TOML table) as the frozen dataclass ``cls``; ``where`` names it in errors ("[sp]")."""
    if not dataclasses.is_dataclass(cls):
        raise TypeError(f"{cls!r} is not a dataclass")
    raw = raw or {}
    hints = typing.get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls) if f.init}
    for key in raw:
        if key not in fields:
            raise TargetError(_unknown(f"{where} setting {key!r}", key, sorted(fields), "settings"))
    values: dict[str, Any] = {}
    for name, spec in fields.items():
        if name not in raw:
            if spec.default is dataclasses.MISSING and spec.default_factory is dataclasses.MISSING:
                raise TargetError(f"{where} is missing the required setting {name!r}")
            continue
        value = _convert(hints[name], raw[name], f"{where} {name}", folder)
        values[name] = _path_or_url(value, folder) if spec.metadata.get("target_path") else value
    try:
        return cls(**values)
    except (TypeError, ValueError) as exc:
        raise TargetError(f"{where}: {exc}") from None


def _convert(kind: Any, value: Any, where: str, folder: Path) -> Any:
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in args if a is not type(None)]
        return _convert(options[0], value, where, folder) if len(options) == 1 else value
    if dataclasses.is_dataclass(kind) and isinstance(kind, type):
        return load_section(kind, _table(value, where), where=where, folder=folder)
    if origin is tuple:
        return _tuple(args, value, where, folder)
    if kind in (str, int, float, bool):
        return _scalar(kind, value, where)
    if kind is Path:
        return _path(_scalar(str, value, where), folder)
    return value


def _tuple(args: tuple[Any, ...], value: Any, where: str, folder: Path) -> tuple[Any, ...]:
    if not isinstance(value, list):
        raise TargetError(f"{where} must be a list, not {value!r}")
    if len(args) == 2 and args[1] is Ellipsis:
        return tuple(_convert(args[0], v, f"{where}[{i}]", folder) for i, v in enumerate(value))
    if len(value) != len(args):
        raise TargetError(f"{where} must be a list of {len(args)} values, not {len(value)}")
    return tuple(
        _convert(a, v, f"{where}[{i}]", folder) for i, (a, v) in enumerate(zip(args, value, strict=True))
    )


def _scalar(kind: type, value: Any, where: str) -> Any:
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if kind is str and isinstance(value, int) and not isinstance(value, bool):
        # A personnummer written without quotes is still the same 12 characters.
        return str(value)
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise TargetError(f"{where} must be {_kind_name(kind)}, not {value!r}")
    return value


def _table(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise TargetError(f"{where} must be a table, not {value!r}")
    return value


def _path(value: str, folder: Path) -> Path:
    path = Path(value).expanduser()
    return path if path.is_absolute() else (folder / path).resolve()


def _path_or_url(value: Any, folder: Path) -> Any:
    if not isinstance(value, str) or not value or value.startswith(("http://", "https://", "{")):
        return value
    return str(_path(value, folder))


def _kind_name(kind: type) -> str:
    return {str: "a string", int: "a whole number", float: "a number", bool: "true or false"}[kind]


def _unknown(what: str, key: str, valid: Collection[str], noun: str) -> str:
    close = difflib.get_close_matches(key, list(valid), n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return f"{what} is not known{hint}; valid {noun}: {', '.join(valid)}"
