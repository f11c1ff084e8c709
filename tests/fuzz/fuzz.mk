# Placeholder until the harnesses land: included by the top Makefile.
fuzz fuzz-smoke:
	@echo "fuzz: no harnesses yet"
.PHONY: fuzz fuzz-smoke
