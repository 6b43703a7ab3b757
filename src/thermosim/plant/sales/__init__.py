"""The sales plant: a team in its market (market, time, deals, accounts, people, levers)."""
