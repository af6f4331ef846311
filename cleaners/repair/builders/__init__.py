"""Builders of the repair package's data tables (build time only; nothing at run time
imports them). ``python -m cleaners.repair.build_tables`` runs them all."""
