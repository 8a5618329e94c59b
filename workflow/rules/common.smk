# Shared names for the rules, all from the typed protocol (PROTOCOL, built in the Snakefile).
SOURCES = {source.name: source for source in PROTOCOL.sources}
PEOPLE = PROTOCOL.paths.people
# Exported sources are imported from their files (import.smk); live ones from their frozen
# snapshot (search.smk). Each rule takes only its own sources' names.
EXPORTED = sorted(name for name, source in SOURCES.items() if not source.live)
LIVE = sorted(name for name, source in SOURCES.items() if source.live)

# Every export file must exist, results or not: Snakemake does not look at the inputs of a
# job whose outputs exist, so a missing export would leave the old results in place.
from litsieve.importers.workflow import export_files

for name in EXPORTED:
    export_files(name, SOURCES[name].files)


def one_of(names):
    """A wildcard constraint matching exactly these names (none: matches nothing)."""
    return "|".join(names) or "(?!)"


def snapshot_of(name):
    """A live source's frozen snapshot files (manifest first). Without one the workflow stops
    and says to run `litsieve search refresh`; the workflow itself never searches."""
    from litsieve.search.snapshot import snapshot_input_files

    return snapshot_input_files(PROTOCOL.paths.snapshots, SOURCES[name])


# Files people edit exist (header only) before any rule needs them, so they can be rule
# inputs from the first run on; an existing file is never touched here.
from litsieve.people import ensure_person_files

# A person file saved as a workbook beside its CSV (ana.xlsx) is read by the rule that
# reads the CSV, so rules list these as inputs: saving one reruns the rule.
from litsieve.personfile import workbooks_of

ensure_person_files(PROTOCOL)

# Every rule runs in the one litsieve environment (used with --use-conda).
LITSIEVE_ENV = "../../environment.yml"
