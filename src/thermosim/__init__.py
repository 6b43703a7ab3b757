"""thermosim: a sales team simulated as a control loop.

Public API: ``load_scenario``, ``simulate``, ``run_experiment``.
"""
