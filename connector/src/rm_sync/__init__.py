"""rm-sync: stream sales exports into Odoo's relationship marketing addon."""

__version__ = "0.1.0"
