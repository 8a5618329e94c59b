"""What authors publish: the PRISMA 2020 flow diagram and its numbers, the extraction
table of included studies, and the records exported back to reference managers."""
