# Shared helpers for the rules: names and files from the protocol, nothing else.
SOURCES = {source["name"]: source for source in config["sources"]}
PEOPLE = config["paths"]["people"]


def source_files(wildcards):
    return SOURCES[wildcards.source]["files"]
