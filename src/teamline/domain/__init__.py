"""Pure domain model and rules (DOMAIN.md): plain dataclasses, no I/O, no framework.

Every rule of the business lives here once and is called from every other layer.
"""
