"""Simulated plants: the sales team (``sales``) and the thermostat teaching plant."""
