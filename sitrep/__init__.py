"""sitrep: humanitarian situation reports from hand-edited YAML, every figure sourced."""

__version__ = "0.1.0"
