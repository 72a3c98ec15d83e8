"""The digital twin (issue 4): a discrete-event simulator driving the real routing engine.

    model          Scenario and its parts (teams and rosters, arrival profiles, surges, handle
                   times, patience, accept delay, returning customers, the routing Workflow);
                   `single_team` and `home_only_workflow` build the M/M/c(+M) validation model
    sampling       every random draw: seeded streams, handle times, patience, Poisson arrivals
    customers      returning customers: who calls again, and who helped them last
    engine_driver  `simulate(scenario, rng, progress=None) -> SimResult`: the event loop
                   around `RoutingEngine`; `result` holds the SimResult arrays
    report         `build_report(result, interval_seconds, groups) -> dict`: per team, group,
                   interval and in total, JSON-able; `batch_means` for the error of a figure
    policies       dedicated / pooled / overflow workflows built on Teamline's default
    scenario_file  the YAML format (`fields` reads it and names bad keys) -> ScenarioSpec
    scenarios      built-ins (`scenarios/*.yaml`), loading by name or path
    compare        `run_spec(spec, seed) -> dict`: every policy on the same arrivals, one report
    export, plots  report.json, intervals.csv, teams.csv and comparison.png

The same scenario and seed give the same result. The routing is the engine's own: the twin
reaches it only through its public calls, so what it predicts is what production would do.
"""
