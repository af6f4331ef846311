"""mtclean's pure core: decode, structure, detect, repair, split, align, judge, write.

Nothing in this package imports Prefect or downloads anything; every stage is a
plain function over strings or :class:`cleaners.model.Document`.
"""

__version__ = "0.1.0"
