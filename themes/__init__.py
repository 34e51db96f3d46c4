"""The themes shipped with tringtui: one YAML file per theme, loaded by ``tringtui.tui.themes``."""
