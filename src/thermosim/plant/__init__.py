"""Simulated plants: the sales team (``sales``) and the thermostat teaching plant.

Each registers a ``PlantSpec`` (``base.py``) in ``registry.py``; ``shocks.py`` holds the shock
schedule every plant reads.
"""
