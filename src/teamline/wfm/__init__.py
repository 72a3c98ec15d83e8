"""Workforce math (issue 4): Erlang C/A staffing, forecasts, best time to call."""
