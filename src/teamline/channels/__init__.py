"""Channel adapters (issue 5): voice webhooks and TwiML, email, social webhooks, into services."""
