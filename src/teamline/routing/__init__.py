"""The routing engine (issue 3): queues, offers, workflow steps, estimated wait."""
