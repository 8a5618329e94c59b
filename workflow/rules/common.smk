# Shared helpers for the rules: names and files from the protocol, nothing else.
SOURCES = {source["name"]: source for source in config["sources"]}
PEOPLE = config["paths"]["people"]

# Files people edit exist (header only) before any rule needs them, so they can be rule
# inputs from the first run on; an existing file is never touched here.
from litsieve.personfile import ensure_person_files

ensure_person_files(config)


def source_files_of(name):
    """A source's input files: its exports, or for a live source its frozen snapshot's files.

    A live source without a snapshot stops the workflow with a message saying to run
    `litsieve search refresh`; the workflow itself never searches.
    """
    source = SOURCES[name]
    if source.get("method") == "live":
        from litsieve.search.snapshot import snapshot_input_files

        return snapshot_input_files(config["paths"]["snapshots"], source)
    return source["files"]


def source_files(wildcards):
    return source_files_of(wildcards.source)

# Every rule runs in the one litsieve environment (used with --use-conda).
LITSIEVE_ENV = "../../environment.yml"
