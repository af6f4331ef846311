"""Prefect orchestration and the ``mtclean`` CLI.

Importing this package must stay cheap: ``flows.cli`` serves ``clean``/``detect``/``align``
without Prefect, so only ``flows.pipeline`` imports it.
"""

# How to get the optional Dask runner, said by the CLI, the flow and the tests that skip
# without it: one text, so they cannot drift apart (an editable install: mtclean is run from
# its folder, not from PyPI).
DASK_HINT = "pip install -e '.[dask]' in the mtclean folder"
