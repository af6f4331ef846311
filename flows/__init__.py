"""Prefect orchestration and the ``mtclean`` CLI.

Importing this package must stay cheap: ``flows.cli`` serves ``clean``/``detect``/``align``
without Prefect, so only ``flows.pipeline`` imports it.
"""
