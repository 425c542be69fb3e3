"""Fixers: one module per fix. See dockfix.registry for how they are found."""
