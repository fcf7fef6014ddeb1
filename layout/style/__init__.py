"""House style: styles/<format>.yaml read into one typed object (model.py), key by key as the
schema declares them (schema.py: each key's place, kind, unit, range and purpose; kinds.py: one
reader per kind; load.py: the loader and the checks across keys)."""
from .kinds import cmyk_values, parse_size
from .load import kinsoku_rules, load_style
from .model import HouseStyle, PrintSpec, PunctuationClasses

__all__ = ["HouseStyle", "PrintSpec", "PunctuationClasses", "cmyk_values", "kinsoku_rules", "load_style", "parse_size"]
