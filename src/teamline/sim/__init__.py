"""The digital twin (issue 4): a discrete-event simulator driving the real routing engine."""
