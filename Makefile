# The two commands of the README. Both do all set-up first (scripts/setup.sh, idempotent).
#   make demo [INPUT="path-or-url ..."]   ingest (the bundled sample corpus by default) and show the result
#   make test                             the whole test suite
.PHONY: demo test setup bench

setup:
	@bash scripts/setup.sh

demo: setup
	@.venv/bin/storyline run $(INPUT)

test: setup
	@.venv/bin/python -m pytest $(PYTEST_ARGS)

bench: setup
	@.venv/bin/python -m bench $(BENCH_ARGS)
