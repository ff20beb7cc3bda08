"""The parts of kb-doctest's Python worker (../worker.py is the entry point). Standard library only.

A regular package under a name no example is likely to import: worker.py puts its own
directory on sys.path just long enough to import it, so the modules here are not
importable by bare name (`protocol`, `leaks`, ...) from an example.
"""
