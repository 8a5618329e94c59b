"""Read and validate a protocol file: YAML in, a validated mapping with defaults out.

The JSON schema in ``workflow/schemas/config.schema.yaml`` says what a protocol may hold
and holds every default (the one place they live). The Snakefile and the command line
validate with this module, so both read a protocol the same way and a mistake reads the
same everywhere: a short :class:`~litsieve.errors.ConfigError` naming the file, the line,
the key, what is allowed there and, for a misspelt key or value, the nearest allowed one
("did you mean 'query'?"), instead of the schema and the whole configuration.
:mod:`litsieve.protocol` turns the mapping into the typed model.
"""

from __future__ import annotations

import difflib
import os
from functools import lru_cache
from pathlib import Path
from typing import Any, Sequence

import yaml

from litsieve.errors import ConfigError

SCHEMA_RELATIVE = Path("workflow") / "schemas" / "config.schema.yaml"
DEFAULT_CONFIG = Path("config") / "config.yaml"
_TYPE_NAMES = {"object": "a mapping of keys", "array": "a list", "string": "text", "integer": "a whole number",
               "number": "a number", "boolean": "true or false", "null": "nothing"}


def find_schema(config_path: Path | None = None) -> Path:
    """The schema beside the review (``<review>/workflow/schemas``), else the package's own checkout."""
    candidates = []
    if config_path is not None:
        candidates.append(config_path.resolve().parent.parent / SCHEMA_RELATIVE)
    candidates.append(Path.cwd() / SCHEMA_RELATIVE)
    candidates.append(Path(__file__).resolve().parents[2] / SCHEMA_RELATIVE)
    for candidate in candidates:
        if candidate.exists():
            return candidate
    raise ConfigError("cannot find workflow/schemas/config.schema.yaml",
                      hint="run litsieve from the review's folder")


@lru_cache(maxsize=4)
def _schema(schema_path: Path) -> dict[str, Any]:
    return yaml.safe_load(schema_path.read_text(encoding="utf-8"))


def _validator(schema: dict[str, Any]) -> Any:
    """A validator class that fills each property's ``default`` as it validates."""
    import jsonschema

    validator_cls = jsonschema.validators.validator_for(schema)

    def set_defaults(validator, properties, instance, schema_):  # type: ignore[no-untyped-def]
        if isinstance(instance, dict):
            for name, subschema in properties.items():
                if "default" in subschema and name not in instance:
                    default = subschema["default"]
                    instance[name] = default.copy() if isinstance(default, (dict, list)) else default
        yield from validator_cls.VALIDATORS["properties"](validator, properties, instance, schema_)

    return jsonschema.validators.extend(validator_cls, {"properties": set_defaults})(schema)


def validate_config(config: dict[str, Any], schema_path: Path, *, source: str = "config") -> dict[str, Any]:
    """Validate ``config`` in place, filling defaults; raise :class:`ConfigError` naming the key."""
    return _validate(config, _schema(schema_path), source=source, prefix=())


def validate_fragment(value: dict[str, Any], schema_path: Path, pointer: Sequence[str], *,
                      where: str) -> dict[str, Any]:
    """Validate one part of a protocol (``pointer``: ``("criteria", "items")``) on its own."""
    schema: dict[str, Any] = _schema(schema_path)
    for key in pointer:
        schema = schema[key] if key in ("items", "additionalProperties") else schema["properties"][key]
    return _validate(value, schema, source="config", prefix=tuple(where.split(".")))


def _validate(config: Any, schema: dict[str, Any], *, source: str, prefix: tuple[str, ...]) -> Any:
    errors = sorted(_validator(schema).iter_errors(config),
                    key=lambda e: (len(e.absolute_path), list(map(str, e.absolute_path))))
    if errors:
        error = errors[0]
        if error.validator in ("anyOf", "oneOf") and error.context:
            from jsonschema.exceptions import best_match

            error = best_match(error.context) or error
        raise _friendly(error, config, source=source, prefix=prefix)
    return config


def _friendly(error: Any, config: Any, *, source: str, prefix: tuple[str, ...]) -> ConfigError:
    """One validation error as a few lines a reviewer can act on."""
    path = [*prefix, *map(str, error.absolute_path)]
    where = ".".join(path) or "(top level)"
    schema = error.schema
    hint = "every key is in config/README.md"
    if error.validator == "additionalProperties":
        allowed = sorted(schema.get("properties", {}))
        extra = [key for key in error.instance if key not in allowed]
        key = str(extra[0]) if extra else "?"
        path.append(key)
        message = f"unknown key '{key}'" + (f" in '{where}'" if where != "(top level)" else "")
        message += f"; allowed here: {', '.join(allowed)}"
        close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
        if close:
            hint = f"did you mean '{close[0]}'? {hint}"
    elif error.validator == "required":
        missing = str(error.message).split("'")[1] if "'" in str(error.message) else str(error.message)
        message = f"'{where}' needs the key '{missing}'" if where != "(top level)" else f"the protocol needs the key '{missing}'"
    elif error.validator == "enum":
        allowed_values = [str(v) for v in error.validator_value]
        message = f"{error.instance!r} is not allowed here; allowed: {', '.join(allowed_values)}"
        close = difflib.get_close_matches(str(error.instance), allowed_values, n=1, cutoff=0.6)
        if close:
            hint = f"did you mean '{close[0]}'? {hint}"
    elif error.validator == "type":
        wanted = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        message = (f"expected {' or '.join(_TYPE_NAMES.get(str(t), str(t)) for t in wanted)}, "
                   f"found {_describe(error.instance)}")
    elif error.validator == "pattern":
        message = f"{error.instance!r} does not have the form this key needs ({schema.get('pattern')})"
    elif error.validator in ("anyOf", "oneOf"):
        message = f"{_describe(error.instance)} is not one of the forms allowed here"
        if schema.get("description"):
            hint = f"{schema['description']}; {hint}"
    else:
        message = str(error.message)
        if len(message) > 200:
            message = message[:200] + "..."
    return ConfigError(message, file=source, line=_line_of(source, path), field=".".join(path) or None, hint=hint)


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _line_of(source: str, path: Sequence[str]) -> int | None:
    """The line of ``path`` (keys and list indexes) in the YAML file ``source``, if it is one."""
    try:
        text = Path(source).read_text(encoding="utf-8")
        node = yaml.compose(text)
    except (OSError, yaml.YAMLError, ValueError):
        return None
    line = None
    for key in path:
        if isinstance(node, yaml.MappingNode):
            found = next(((k, v) for k, v in node.value if getattr(k, "value", None) == key), None)
            if found is None:
                break
            line, node = found[0].start_mark.line + 1, found[1]
        elif isinstance(node, yaml.SequenceNode) and key.isdigit() and int(key) < len(node.value):
            node = node.value[int(key)]
            line = node.start_mark.line + 1
        else:
            break
    return line


def read_yaml(path: Path) -> dict[str, Any]:
    """A protocol file's YAML as a mapping (an error names the line)."""
    if not path.exists():
        raise ConfigError("protocol file not found", file=str(path),
                          hint="copy config/config.yaml from the litsieve repository")
    try:
        config = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ConfigError(f"not valid YAML: {getattr(exc, 'problem', exc)}", file=str(path),
                          line=(mark.line + 1) if mark else None) from None
    if not isinstance(config, dict):
        raise ConfigError("a protocol is a mapping of keys (review:, search:, sources: ...)", file=str(path))
    return config


def load_config(path: str | os.PathLike[str] = DEFAULT_CONFIG) -> dict[str, Any]:
    """Read, validate and default-fill a protocol file."""
    config_path = Path(path)
    return validate_config(read_yaml(config_path), find_schema(config_path), source=str(config_path))

