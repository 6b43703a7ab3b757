"""Shipped scenario files (YAML); this file only makes the folder installable as package data."""
