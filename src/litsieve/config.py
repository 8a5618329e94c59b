"""Load and validate the review protocol (``config/config.yaml``).

The same JSON schema that the Snakefile validates against (``workflow/schemas``) is used
here, with defaults filled in, so the command line and the workflow read one protocol
the same way.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml

from litsieve.errors import ConfigError

SCHEMA_RELATIVE = Path("workflow") / "schemas" / "config.schema.yaml"
DEFAULT_CONFIG = Path("config") / "config.yaml"


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


def validate_config(config: dict[str, Any], schema_path: Path, *, source: str = "config") -> dict[str, Any]:
    """Validate ``config`` in place, filling defaults; raise :class:`ConfigError` naming the key."""
    import jsonschema

    schema = yaml.safe_load(schema_path.read_text(encoding="utf-8"))
    validator_cls = jsonschema.validators.validator_for(schema)

    def set_defaults(validator, properties, instance, schema_):  # type: ignore[no-untyped-def]
        if isinstance(instance, dict):
            for name, subschema in properties.items():
                if "default" in subschema and name not in instance:
                    default = subschema["default"]
                    instance[name] = default.copy() if isinstance(default, (dict, list)) else default
        yield from validator_cls.VALIDATORS["properties"](validator, properties, instance, schema_)

    filling = jsonschema.validators.extend(validator_cls, {"properties": set_defaults})
    errors = sorted(filling(schema).iter_errors(config), key=lambda e: list(e.absolute_path))
    if errors:
        error = errors[0]
        key = ".".join(str(p) for p in error.absolute_path) or "(top level)"
        raise ConfigError(error.message, file=source, field=key,
                          hint="see config/README.md for every key")
    return config


def load_config(path: str | os.PathLike[str] = DEFAULT_CONFIG) -> dict[str, Any]:
    """Read, validate and default-fill a protocol file."""
    config_path = Path(path)
    if not config_path.exists():
        raise ConfigError("protocol file not found", file=str(config_path),
                          hint="copy config/config.yaml from the litsieve repository")
    try:
        config = yaml.safe_load(config_path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ConfigError(f"not valid YAML: {getattr(exc, 'problem', exc)}", file=str(config_path),
                          line=(mark.line + 1) if mark else None) from None
    return validate_config(config, find_schema(config_path), source=str(config_path))
