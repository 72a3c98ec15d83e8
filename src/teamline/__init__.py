"""Teamline: a contact-center platform where every customer has a dedicated regional team."""

__version__ = "0.1.0"
