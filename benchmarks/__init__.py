"""Benchmarks of crisis_model against measured baselines; run ``python -m benchmarks``.

Not part of the installed package: a generator of admissible logs
(:mod:`benchmarks.generator`), the mutable floor (:mod:`benchmarks.floor`), the
measurements (:mod:`benchmarks.cases`), the report (:mod:`benchmarks.report`)
and the command (:mod:`benchmarks.run`).  See ``benchmarks/README.md``.
"""
