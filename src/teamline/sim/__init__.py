"""The digital twin (issue 4): a discrete-event simulator driving the real routing engine.

    model          Scenario and its parts (teams and rosters, arrival profiles, surges, handle
                   times, patience, accept delay, the routing Workflow); `single_team` and
                   `home_only_workflow` build the M/M/c(+M) validation model
    sampling       every random draw: seeded streams, handle times, patience, Poisson arrivals
    engine_driver  `simulate(scenario, rng) -> SimResult`: the event loop around `RoutingEngine`
    report         `build_report(result) -> dict`: per team and total figures, JSON-able;
                   `batch_means` for the error of a figure

The same scenario and seed give the same result. The routing is the engine's own: the twin
reaches it only through its public calls, so what it predicts is what production would do.
"""
